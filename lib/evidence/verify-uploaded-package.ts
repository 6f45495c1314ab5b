import "server-only";
import { createHash } from "node:crypto";
import { mkdtemp, open, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { sanitizeFileName } from "@/lib/attachments/file-name";
import { formatBytes } from "@/lib/attachments/file-types";
import { MiB, MULTIPART_OVERHEAD_BYTES } from "@/lib/attachments/limits";
import { receiveUpload, type TIncomingFile } from "@/lib/attachments/receive-upload";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { EVIDENCE_MANIFEST_FORMAT } from "./manifest";
import { requirePackageAccess } from "./require-package-access";
import type { TCertificateDescription } from "./signing/signer";
import { verifyEvidencePdf, type TEvidenceAttachment, type TEvidenceCheck } from "./verify/verify-evidence-pdf";

/** The largest package the verify page accepts (Content-Length and the stream are both held to it). */
export const VERIFY_MAX_BYTES = 512 * MiB;

/** The multipart field of the file; the form has no other. */
export const VERIFY_FILE_FIELD = "file";

/**
 * Verifications running at once in this process. Each holds a temporary copy of up to
 * VERIFY_MAX_BYTES on disk and hashes it: a few signed-in users cannot fill the disk or the CPU.
 */
const MAX_CONCURRENT = 2;

/** A PDF starts with "%PDF-" within its first 1024 bytes (ISO 32000-1, 7.5.2; readers allow leading junk). */
const PDF_HEADER_WINDOW = 1024;

/** What the uploaded file is to this Assay, found by its SHA-256 among the issued packages. */
export type TPackageMatch =
  /** Byte for byte a package issued here, of an audit the user may view. */
  | {
      kind: "issued";
      packageId: string;
      auditId: string;
      providerName: string;
      /** The audit's questionnaire, e.g. "Infrastructure provider". */
      auditTitle: string;
      version: number;
      issuedAt: string;
      includesInternalNotes: boolean;
      /** No package of a later sign-off of the audit is issued. */
      latest: boolean;
      /** The newest version of a later sign-off, when there is one. */
      newerVersion: number | null;
      /** The audit was reopened or signed off again after this package: a newer one may follow. */
      auditChangedSince: boolean;
    }
  /** Issued here, of an audit the user may not view: nothing more is said. */
  | { kind: "issued_no_access" }
  /** Its manifest names an Assay audit and version, but these bytes were never issued here. */
  | { kind: "not_issued_as_is" }
  /** Nothing in it points to an Assay package. */
  | { kind: "unknown" };

export interface TUploadedPackageVerification {
  /** The name the browser sent, for display only. */
  fileName: string;
  size: number;
  sha256: string;
  /** The offline verifier's verdict (lib/evidence/verify/verify-evidence-pdf.ts): every check passed. */
  valid: boolean;
  problems: string[];
  notes: string[];
  checks: TEvidenceCheck[];
  signer: (Omit<TCertificateDescription, "notBefore" | "notAfter"> & { notBefore: string; notAfter: string }) | null;
  signedAt: string | null;
  timestamp: { time: string; tsa: string; serial: string } | null;
  attachments: TEvidenceAttachment[];
  match: TPackageMatch;
}

const globalForVerify = globalThis as unknown as { assayVerifications?: number };

/**
 * Receives an uploaded evidence package (multipart, one field `file`), streamed into a private
 * temporary file (mode 0600 in a fresh mkdtemp directory, removed afterwards, whatever happens),
 * hashing it as it arrives; runs the offline verifier on it; then looks its SHA-256 up among the
 * issued (READY) packages:
 * - issued, and the user may view its audit: which audit, which version, whether it is the latest;
 * - issued, but the user may not view it: only that this Assay issued it;
 * - not issued, but its manifest names an audit and version: "not a package this Assay issued as
 *   it is" — nothing about that audit (whether it exists here, what it is).
 *
 * Refused before a byte is read: a Content-Length over VERIFY_MAX_BYTES (plus the multipart
 * envelope), and a server already verifying MAX_CONCURRENT files. While streaming: more than
 * VERIFY_MAX_BYTES, something that does not start like a PDF, an empty file, a malformed form.
 * The caller has checked the session; `maxBytes` is for tests.
 */
export async function verifyUploadedPackage({
  user,
  request,
  maxBytes = VERIFY_MAX_BYTES,
}: {
  user: TCurrentUser;
  request: Request;
  maxBytes?: number;
}): Promise<TUploadedPackageVerification> {
  const tooLarge = (what: string) =>
    new AppError("TOO_LARGE", `${what} is larger than ${formatBytes(maxBytes)}, the largest package this page checks.`, {
      fieldErrors: { [VERIFY_FILE_FIELD]: `larger than ${formatBytes(maxBytes)}` },
      details: { reason: "file_too_large", maxFileBytes: maxBytes },
    });
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD_BYTES) throw tooLarge("The upload");

  const running = globalForVerify.assayVerifications ?? 0;
  if (running >= MAX_CONCURRENT) {
    throw new AppError("RATE_LIMITED", "Other packages are being verified right now. Try again in a few seconds.", { details: { retryAfterSeconds: 5 } });
  }
  globalForVerify.assayVerifications = running + 1;
  let dir: string | null = null;
  try {
    dir = await mkdtemp(path.join(os.tmpdir(), "assay-verify-"));
    const filePath = path.join(dir, "package.pdf");
    const received = await receiveUpload({
      request,
      fieldNames: [],
      fileField: VERIFY_FILE_FIELD,
      maxFileBytes: maxBytes,
      tooLarge: (fileName) => tooLarge(fileName ? `"${sanitizeFileName(fileName).name}"` : "The file"),
      handleFile: (file) => writePrivateCopy(file, filePath),
    });

    const verification = await verifyEvidencePdf(filePath);
    const match = await matchIssuedPackage({ user, sha256: received.sha256, manifest: verification.manifest });
    log.info("package.verify", { valid: verification.valid, match: match.kind, bytes: received.size });
    return {
      fileName: received.fileName,
      size: received.size,
      sha256: received.sha256,
      valid: verification.valid,
      problems: verification.problems,
      notes: verification.notes,
      checks: verification.checks,
      signer: verification.signer
        ? { ...verification.signer, notBefore: verification.signer.notBefore.toISOString(), notAfter: verification.signer.notAfter.toISOString() }
        : null,
      signedAt: verification.signedAt?.toISOString() ?? null,
      timestamp: verification.timestamp ? { ...verification.timestamp, time: verification.timestamp.time.toISOString() } : null,
      attachments: verification.attachments,
      match,
    };
  } finally {
    globalForVerify.assayVerifications = (globalForVerify.assayVerifications ?? 1) - 1;
    if (dir) await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Writes the file's bytes to `filePath` (created, mode 0600) while hashing them; refuses at
 * once what does not start like a PDF, and an empty file. Resolves once the whole request has
 * been parsed (a second file or a truncated body fails it).
 */
async function writePrivateCopy(file: TIncomingFile, filePath: string): Promise<{ fileName: string; size: number; sha256: string }> {
  // Shown back to the person (and in messages): cleaned like uploaded file names.
  const fileName = file.fileName ? sanitizeFileName(file.fileName).name : "";
  const hash = createHash("sha256");
  const handle = await open(filePath, "wx", 0o600);
  let size = 0;
  let head: Buffer | null = Buffer.alloc(0);
  try {
    for await (const chunk of file.bytes) {
      if (head !== null) {
        head = Buffer.concat([head, chunk]);
        if (head.length >= PDF_HEADER_WINDOW) {
          requirePdfHeader(head, fileName);
          head = null;
        }
      }
      hash.update(chunk);
      size += chunk.byteLength;
      await handle.write(chunk);
    }
    if (size === 0) {
      throw new AppError("INVALID_INPUT", "The file is empty (0 bytes).", { fieldErrors: { [VERIFY_FILE_FIELD]: "the file is empty" }, details: { reason: "empty_file" } });
    }
    if (head !== null) requirePdfHeader(head, fileName);
    await file.complete;
  } finally {
    await handle.close();
  }
  return { fileName, size, sha256: hash.digest("hex") };
}

function requirePdfHeader(head: Buffer, fileName: string): void {
  if (head.subarray(0, PDF_HEADER_WINDOW).includes("%PDF-")) return;
  const what = fileName ? `"${fileName}"` : "This file";
  throw new AppError("INVALID_INPUT", `${what} is not a PDF. An evidence package is the signed PDF file Assay issues (evidence-package-…-vN.pdf).`, {
    fieldErrors: { [VERIFY_FILE_FIELD]: "not a PDF" },
    details: { reason: "not_pdf" },
  });
}

async function matchIssuedPackage({ user, sha256, manifest }: { user: TCurrentUser; sha256: string; manifest: unknown }): Promise<TPackageMatch> {
  const db = getDb();
  const pkg = await db.evidencePackage.findFirst({
    where: { sha256, state: "READY" },
    select: {
      id: true,
      auditId: true,
      version: true,
      signOff: true,
      issuedAt: true,
      includeInternalNotes: true,
      audit: { select: { providerName: true, status: true, signOffCount: true, questionnaireVersion: { select: { title: true } } } },
    },
  });
  if (!pkg) return claimsAssayPackage(manifest) ? { kind: "not_issued_as_is" } : { kind: "unknown" };
  try {
    await requirePackageAccess({ user, auditId: pkg.auditId, need: "view" });
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") return { kind: "issued_no_access" };
    throw e;
  }
  // The twin of the same sign-off (with or without internal notes) is not newer: only a later sign-off is.
  const newer = await db.evidencePackage.findFirst({
    where: { auditId: pkg.auditId, state: "READY", signOff: { gt: pkg.signOff } },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  return {
    kind: "issued",
    packageId: pkg.id,
    auditId: pkg.auditId,
    providerName: pkg.audit.providerName,
    auditTitle: pkg.audit.questionnaireVersion.title,
    version: pkg.version!,
    issuedAt: pkg.issuedAt!.toISOString(),
    includesInternalNotes: pkg.includeInternalNotes,
    latest: newer === null,
    newerVersion: newer?.version ?? null,
    auditChangedSince: pkg.audit.status !== "SIGNED_OFF" || pkg.audit.signOffCount > pkg.signOff,
  };
}

/** The manifest says it is an Assay package of some audit and version (whatever they are). */
function claimsAssayPackage(manifest: unknown): boolean {
  if (typeof manifest !== "object" || manifest === null) return false;
  const m = manifest as { format?: unknown; audit?: { id?: unknown }; package?: { version?: unknown } };
  return m.format === EVIDENCE_MANIFEST_FORMAT || typeof m.audit?.id === "string" || typeof m.package?.version === "number";
}
