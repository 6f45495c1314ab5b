import "server-only";
import { createReadStream } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createPostgresChunkStore } from "@/lib/attachments/chunk-store";
import { recordAuditEventSql, withAttachmentTransaction } from "@/lib/attachments/sql";
import { prismaChunkQuery } from "@/lib/attachments/storage";
import { getDb, type DbTx } from "@/lib/db";
import { isAppError } from "@/lib/errors";
import { log } from "@/lib/log";
import { generateEvidencePackage } from "./generate-evidence-package";
import { leasedSql } from "./package-lease";
import type { TPackageWorkerProgress } from "./worker/protocol";

export const packageStore = createPostgresChunkStore({ table: "evidence_package_chunk", owner: "package_id", query: prismaChunkQuery });

/** How often, at most, the job writes its progress to the package row. */
const PROGRESS_EVERY_MS = 300;

/**
 * A live run renews its heartbeat with every progress write, and at least this often besides:
 * signing and storing a large file report no progress for a while.
 */
const LEASE_RENEW_MS = 30_000;

/** superseded: this run's lease went stale and a newer run took the package over; this one wrote nothing. */
export type TIssueOutcome = "issued" | "failed" | "skipped" | "superseded";

/**
 * The evidence-package job: renders the package of `packageId` to a private temporary file
 * (pdfkit straight to disk, attachments streamed in), signs it in place, stores it as chunk rows
 * and marks it READY with its SHA-256 — the bytes and the row in one transaction, after which
 * the row and its bytes are immutable (trigger). Progress goes to the row as it happens:
 * attachments → rendering → signing → storing.
 *
 * A failure is recorded on the row (FAILED, with why) and in the audit trail; the person can
 * retry (requestEvidencePackage queues the row again). A package that is already READY, or not
 * queued/running, or RUNNING under another run's live lease, is left alone: a job delivered
 * twice does nothing the second time.
 *
 * The claim increments `attempts`, and that value is the run's claim token: its progress, READY
 * and FAILED writes apply only while the row still carries it, so a run whose lease was taken
 * over can no longer change the row the newer run is issuing.
 */
export async function issueEvidencePackage({
  packageId,
  now = () => new Date(),
  signal,
}: {
  packageId: string;
  now?: () => Date;
  /** The job's: aborted when pg-boss gives up on it (expired, claim lost, server stopping); stops the package worker. */
  signal?: AbortSignal;
}): Promise<TIssueOutcome> {
  const db = getDb();
  const claimed = await db.$transaction(async (tx) => {
    // A RUNNING row with no heartbeat at all (one left running before leases existed) is stale.
    const [row] = await tx.$queryRawUnsafe<{ audit_id: string; state: string; version: number | null; leased: boolean }[]>(
      `SELECT audit_id, state::text, version, ${leasedSql()} AS leased FROM evidence_package WHERE id = $1::uuid FOR UPDATE`,
      packageId,
    );
    if (!row || (row.state !== "QUEUED" && row.state !== "RUNNING") || row.leased) return null;
    let version = row.version;
    if (version === null) {
      // Version numbers in the order packages start, under the audit's lock (two packages of one
      // audit can run at once: with and without internal notes).
      await tx.$queryRaw`SELECT 1 FROM audit WHERE id = ${row.audit_id}::uuid FOR UPDATE`;
      const [max] = await tx.$queryRaw<{ next: number }[]>`
        SELECT COALESCE(MAX(version), 0) + 1 AS next FROM evidence_package WHERE audit_id = ${row.audit_id}::uuid`;
      version = Number(max!.next);
    }
    const claim = await tx.evidencePackage.update({
      where: { id: packageId },
      data: { state: "RUNNING", version, phase: "attachments", progressDone: 0, progressTotal: 0, error: null, attempts: { increment: 1 } },
      select: { id: true, auditId: true, version: true, attempts: true, includeInternalNotes: true, requestedBy: { select: { name: true, email: true } } },
    });
    await renewLease(tx, claim);
    return claim;
  });
  if (!claimed) return "skipped";

  let workDir: string | null = null;
  let phase = "attachments";
  // A renewal that fails (the database is away) only lets the lease age; the run goes on.
  const lease = setInterval(() => void renewLease(db, claimed).catch(() => {}), LEASE_RENEW_MS).unref();
  try {
    const issuedAt = now();
    workDir = await mkdtemp(path.join(os.tmpdir(), "assay-package-"));
    const pdfPath = path.join(workDir, "package.pdf");
    let lastWrite = 0;
    let pending: Promise<unknown> = Promise.resolve();
    const progress = (p: TPackageWorkerProgress) => {
      const at = Date.now();
      if (p.phase === phase && at - lastWrite < PROGRESS_EVERY_MS && p.done < p.total) return;
      phase = p.phase;
      lastWrite = at;
      pending = pending.then(() => setProgress(claimed, p.phase, p.done, p.total)).catch(() => {});
    };
    const signed = await generateEvidencePackage({
      auditId: claimed.auditId,
      version: claimed.version!,
      issuedBy: claimed.requestedBy.name ?? claimed.requestedBy.email ?? "A former user",
      issuedAt,
      includeInternalNotes: claimed.includeInternalNotes,
      outPath: pdfPath,
      onProgress: progress,
      signal,
    });
    await pending;

    phase = "storing";
    await setProgress(claimed, "storing", 0, 1);
    await withAttachmentTransaction(async (tx) => {
      const blob = await packageStore.put(tx, packageId, createReadStream(pdfPath, { highWaterMark: 1024 * 1024 }));
      if (blob.sha256 !== signed.sha256 || blob.size !== signed.size) {
        throw new Error(`the stored package (${blob.size} bytes, ${blob.sha256}) is not the signed file (${signed.size} bytes, ${signed.sha256})`);
      }
      const { rowCount } = await tx.query(
        `UPDATE evidence_package
            SET state = 'READY', phase = 'done', progress_done = 1, progress_total = 1, issued_at = $2, sha256 = $3, size = $4,
                manifest = $5, signer = $6::jsonb, timestamped = $7
          WHERE id = $1 AND state = 'RUNNING' AND attempts = $8`,
        [
          packageId,
          issuedAt,
          signed.sha256,
          signed.size,
          signed.manifestJson,
          JSON.stringify(signed.signer),
          signed.timestamped,
          claimed.attempts,
        ],
      );
      // Rolls the chunks back too; the FAILED write below then finds the claim gone as well.
      if (rowCount !== 1) throw new Error("the package was changed while it was being issued");
      await recordAuditEventSql(tx, {
        auditId: claimed.auditId,
        actorId: null,
        action: "package.issued",
        subject: packageId,
        data: { version: claimed.version, sha256: signed.sha256, size: signed.size, pages: signed.pages, signer: signed.signer.subject, timestamped: signed.timestamped },
      });
    });
    log.info("package.issued", { packageId, version: claimed.version, bytes: signed.size, pages: signed.pages, workerPeakRssMb: Math.round(signed.maxRss / 1e6), workerCpuMs: Math.round(signed.cpuMs) });
    return "issued";
  } catch (e) {
    const reason = isAppError(e) ? e.message : `Issuing failed while ${phaseWords(phase)}: ${e instanceof Error ? e.message : String(e)}`;
    const failure = { packageId, attempt: claimed.attempts, phase, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) };
    const recorded = await db
      .$transaction(async (tx) => {
        const { count } = await tx.evidencePackage.updateMany({ where: { id: packageId, state: "RUNNING", attempts: claimed.attempts }, data: { state: "FAILED", error: reason } });
        if (count === 1) {
          await tx.auditEvent.create({ data: { auditId: claimed.auditId, actorId: null, action: "package.failed", subject: packageId, data: { phase, reason } } });
        }
        return count === 1;
      })
      .catch((dbError: unknown) => {
        log.error("package.failed", failure); // the cause, which the row could not take
        throw dbError;
      });
    if (!recorded) {
      // A newer run holds the package (or issued it): its outcome is the package's, not this one's.
      log.warn("package.superseded", failure);
      return "superseded";
    }
    log.error("package.failed", failure);
    return "failed";
  } finally {
    clearInterval(lease);
    if (workDir) await rm(workDir, { recursive: true, force: true });
  }
}

/** The run that claimed the package: its id and the `attempts` value it claimed it with. */
type TClaim = { id: string; attempts: number };

/** Writes the run's progress and renews its lease, while the run still holds its claim. */
async function setProgress(claim: TClaim, phase: string, done: number, total: number): Promise<void> {
  await getDb().$executeRaw`
    UPDATE evidence_package SET phase = ${phase}, progress_done = ${done}, progress_total = ${total}, heartbeat_at = now()
     WHERE id = ${claim.id}::uuid AND state = 'RUNNING' AND attempts = ${claim.attempts}`;
}

/** Renews the run's lease (heartbeat_at on the database's clock, as the claim compares it). */
async function renewLease(db: Pick<DbTx, "$executeRaw">, claim: TClaim): Promise<void> {
  await db.$executeRaw`
    UPDATE evidence_package SET heartbeat_at = now() WHERE id = ${claim.id}::uuid AND state = 'RUNNING' AND attempts = ${claim.attempts}`;
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
