import "server-only";
import { getEnv } from "@/lib/env";
import { loadPackageData } from "./load-package-data";
import type { TPackageWorkerProgress, TPackageWorkerResult } from "./worker/protocol";
import { runPackageWorker } from "./worker/run-package-worker";

/**
 * Makes the signed PDF of an audit's evidence package at `outPath`: reads the package's data
 * here, then renders and signs it in the package worker, a process of its own (the server never
 * carries a render's memory, and a crash there fails this package, not the server). What the
 * issuing job does before it stores the file; bench:package measures exactly this.
 */
export async function generateEvidencePackage(options: {
  auditId: string;
  version: number;
  issuedBy: string;
  issuedAt: Date;
  includeInternalNotes: boolean;
  outPath: string;
  onProgress?: (progress: TPackageWorkerProgress) => void;
  /** Stops the worker (the job was cancelled). */
  signal?: AbortSignal;
}): Promise<TPackageWorkerResult> {
  const env = getEnv();
  if (!env.DATABASE_URL) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, which provides a database");
  const record = await loadPackageData({
    auditId: options.auditId,
    packageInfo: { version: options.version, issuedAt: options.issuedAt.toISOString(), issuedBy: options.issuedBy },
    today: options.issuedAt,
  });
  return runPackageWorker(
    {
      type: "job",
      record,
      outPath: options.outPath,
      includeInternalNotes: options.includeInternalNotes,
      reason: `Evidence package of ${record.audit.providerName}, version ${options.version}`,
      signedAt: options.issuedAt.toISOString(),
      databaseUrl: env.DATABASE_URL,
      signer: { production: env.ASSAY_ENV === "production", p12Path: env.SIGNING_P12_PATH, p12Passphrase: env.SIGNING_P12_PASSPHRASE, dataDir: env.ASSAY_DATA_DIR },
      tsaUrl: env.TSA_URL,
    },
    { onProgress: options.onProgress, signal: options.signal },
  );
}
