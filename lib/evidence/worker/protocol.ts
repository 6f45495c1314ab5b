import { z } from "zod";
import { APP_ERROR_CODES, type AppErrorCode } from "@/lib/errors";
import type { TPackageRecord } from "../render/package-data";

// What the server and its package worker (package-worker.ts, a child process) say to each other
// over Node's IPC channel: one job down, progress and one outcome up. Both ends are Assay, but
// the outcome still crosses a process boundary and is parsed like any other input.

/** The one message the server sends: everything the worker needs, secrets included (never argv or env). */
export interface TPackageWorkerJob {
  type: "job";
  record: TPackageRecord;
  /** Where the worker writes the signed PDF (a file in the server's private temporary directory). */
  outPath: string;
  includeInternalNotes: boolean;
  /** The signature's reason, as PDF readers show it. */
  reason: string;
  /** ISO 8601; the signing time (whole seconds). */
  signedAt: string;
  databaseUrl: string;
  signer: { production: boolean; p12Path?: string; p12Passphrase?: string; dataDir: string };
  tsaUrl?: string;
}

const progress = z.object({
  type: z.literal("progress"),
  phase: z.enum(["attachments", "rendering", "signing"]),
  done: z.number().int().nonnegative(),
  total: z.number().int().nonnegative(),
});

const done = z.object({
  type: z.literal("done"),
  pages: z.number().int().positive(),
  manifestJson: z.string(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  size: z.number().int().positive(),
  timestamped: z.boolean(),
  /** The signing certificate (TCertificateDescription, dates as ISO 8601), as stored on the package row. */
  signer: z.object({
    subject: z.string(),
    issuer: z.string(),
    serial: z.string(),
    notBefore: z.iso.datetime(),
    notAfter: z.iso.datetime(),
    fingerprintSha256: z.string(),
    selfSigned: z.boolean(),
    development: z.boolean(),
  }),
  /** The worker's peak resident memory, bytes, and CPU time, ms (the server's log and bench:package report them). */
  maxRss: z.number().int().nonnegative(),
  cpuMs: z.number().nonnegative(),
});

const failed = z.object({
  type: z.literal("failed"),
  message: z.string(),
  /** Set when the failure is one the person can act on (an AppError): its message is shown as is. */
  appErrorCode: z.enum(Object.keys(APP_ERROR_CODES) as [AppErrorCode, ...AppErrorCode[]]).optional(),
});

export const packageWorkerMessage = z.discriminatedUnion("type", [progress, done, failed]);
export type TPackageWorkerMessage = z.infer<typeof packageWorkerMessage>;
export type TPackageWorkerProgress = z.infer<typeof progress>;
export type TPackageWorkerResult = z.infer<typeof done>;
