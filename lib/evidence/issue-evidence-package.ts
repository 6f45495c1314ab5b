import "server-only";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPostgresChunkStore } from "@/lib/attachments/storage";
import { recordAuditEventSql, withAttachmentTransaction } from "@/lib/attachments/sql";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { loadPackageData } from "./load-package-data";
import { renderEvidencePdf, type TRenderProgress } from "./render/render-evidence-pdf";
import { addSignaturePlaceholder } from "./signing/add-signature-placeholder";
import { resolveEvidenceSigner } from "./signing/resolve-evidence-signer";
import { signPdfFile } from "./signing/sign-pdf-file";

export const packageStore = createPostgresChunkStore({ table: "evidence_package_chunk", owner: "package_id" });

/** How often, at most, the job writes its progress to the package row. */
const PROGRESS_EVERY_MS = 300;

export type TIssueOutcome = "issued" | "failed" | "skipped";

/**
 * The evidence-package job: renders the package of `packageId` to a private temporary file
 * (pdfkit straight to disk, attachments streamed in), signs it in place, stores it as chunk rows
 * and marks it READY with its SHA-256 — the bytes and the row in one transaction, after which
 * the row and its bytes are immutable (trigger). Progress goes to the row as it happens:
 * attachments → rendering → signing → storing.
 *
 * A failure is recorded on the row (FAILED, with why) and in the audit trail; the person can
 * retry (requestEvidencePackage queues the row again). A package that is already READY, or not
 * queued/running, is left alone: a job delivered twice does nothing the second time.
 */
export async function issueEvidencePackage({ packageId, now = () => new Date() }: { packageId: string; now?: () => Date }): Promise<TIssueOutcome> {
  const db = getDb();
  const claimed = await db.$transaction(async (tx) => {
    const [row] = await tx.$queryRaw<{ audit_id: string; state: string; version: number | null }[]>`
      SELECT audit_id, state::text, version FROM evidence_package WHERE id = ${packageId}::uuid FOR UPDATE`;
    if (!row || (row.state !== "QUEUED" && row.state !== "RUNNING")) return null;
    let version = row.version;
    if (version === null) {
      // Version numbers in the order packages start, under the audit's lock (two packages of one
      // audit can run at once: with and without internal notes).
      await tx.$queryRaw`SELECT 1 FROM audit WHERE id = ${row.audit_id}::uuid FOR UPDATE`;
      const [max] = await tx.$queryRaw<{ next: number }[]>`
        SELECT COALESCE(MAX(version), 0) + 1 AS next FROM evidence_package WHERE audit_id = ${row.audit_id}::uuid`;
      version = Number(max!.next);
    }
    return tx.evidencePackage.update({
      where: { id: packageId },
      data: { state: "RUNNING", version, phase: "attachments", progressDone: 0, progressTotal: 0, error: null, attempts: { increment: 1 } },
      select: { id: true, auditId: true, version: true, includeInternalNotes: true, requestedBy: { select: { name: true, email: true } } },
    });
  });
  if (!claimed) return "skipped";

  const env = getEnv();
  let workDir: string | null = null;
  let phase = "attachments";
  try {
    const signer = await resolveEvidenceSigner({
      production: env.ASSAY_ENV === "production",
      p12Path: env.SIGNING_P12_PATH,
      p12Passphrase: env.SIGNING_P12_PASSPHRASE,
      dataDir: env.ASSAY_DATA_DIR,
    });
    const certificate = signer.describe();
    const issuedAt = now();
    const data = await loadPackageData({
      auditId: claimed.auditId,
      packageInfo: {
        version: claimed.version!,
        issuedAt: issuedAt.toISOString(),
        issuedBy: claimed.requestedBy.name ?? claimed.requestedBy.email ?? "A former user",
        signer: { subject: certificate.subject, selfSigned: certificate.selfSigned },
      },
      today: issuedAt,
    });

    workDir = await mkdtemp(path.join(os.tmpdir(), "assay-package-"));
    const pdfPath = path.join(workDir, "package.pdf");
    let lastWrite = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const progress = (p: TRenderProgress) => {
      const at = Date.now();
      if (p.phase === phase && at - lastWrite < PROGRESS_EVERY_MS && p.done < p.total) return;
      phase = p.phase;
      lastWrite = at;
      pending = pending.then(() => setProgress(packageId, p.phase, p.done, p.total)).catch(() => {});
    };
    const rendered = await renderEvidencePdf({
      data,
      outPath: pdfPath,
      includeInternalNotes: claimed.includeInternalNotes,
      onProgress: progress,
      beforeEnd: (doc) =>
        addSignaturePlaceholder(doc, {
          name: certificate.subject,
          reason: `Evidence package of ${data.audit.providerName}, version ${claimed.version}`,
          location: "Assay",
        }),
    });
    await pending;

    phase = "signing";
    await setProgress(packageId, "signing", 0, 1);
    const signed = await signPdfFile({ path: pdfPath, signer, tsaUrl: env.TSA_URL, signedAt: issuedAt });

    phase = "storing";
    await setProgress(packageId, "storing", 0, 1);
    await withAttachmentTransaction(async (tx) => {
      const blob = await packageStore.put(tx, packageId, createReadStream(pdfPath, { highWaterMark: 1024 * 1024 }));
      if (blob.sha256 !== signed.sha256 || blob.size !== signed.size) {
        throw new Error(`the stored package (${blob.size} bytes, ${blob.sha256}) is not the signed file (${signed.size} bytes, ${signed.sha256})`);
      }
      const { rowCount } = await tx.query(
        `UPDATE evidence_package
            SET state = 'READY', phase = 'done', progress_done = 1, progress_total = 1, issued_at = $2, sha256 = $3, size = $4,
                manifest = $5, signer = $6::jsonb, timestamped = $7
          WHERE id = $1 AND state = 'RUNNING'`,
        [
          packageId,
          issuedAt,
          signed.sha256,
          signed.size,
          rendered.manifestJson,
          JSON.stringify({ ...signed.signer, notBefore: signed.signer.notBefore.toISOString(), notAfter: signed.signer.notAfter.toISOString() }),
          signed.timestamped,
        ],
      );
      if (rowCount !== 1) throw new Error("the package was changed while it was being issued");
      await recordAuditEventSql(tx, {
        auditId: claimed.auditId,
        actorId: null,
        action: "package.issued",
        subject: packageId,
        data: { version: claimed.version, sha256: signed.sha256, size: signed.size, pages: rendered.pages, signer: signed.signer.subject, timestamped: signed.timestamped },
      });
    });
    log.info("package.issued", { packageId, version: claimed.version, bytes: signed.size, pages: rendered.pages });
    return "issued";
  } catch (e) {
    const reason = isAppError(e) ? e.message : `Issuing failed while ${phaseWords(phase)}: ${e instanceof Error ? e.message : String(e)}`;
    log.error("package.failed", { packageId, phase, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    await db.$transaction(async (tx) => {
      const { count } = await tx.evidencePackage.updateMany({ where: { id: packageId, state: "RUNNING" }, data: { state: "FAILED", error: reason } });
      if (count === 1) {
        await tx.auditEvent.create({ data: { auditId: claimed.auditId, actorId: null, action: "package.failed", subject: packageId, data: { phase, reason } } });
      }
    });
    return "failed";
  } finally {
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

async function setProgress(packageId: string, phase: string, done: number, total: number): Promise<void> {
  await getDb().evidencePackage.updateMany({ where: { id: packageId, state: "RUNNING" }, data: { phase, progressDone: done, progressTotal: total } });
}

function phaseWords(phase: string): string {
  switch (phase) {
    case "attachments":
      return "embedding the attachments";
    case "rendering":
      return "rendering the pages";
    case "signing":
      return "signing";
    case "storing":
      return "storing the signed file";
    default:
      return phase;
  }
}
