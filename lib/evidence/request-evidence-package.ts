import "server-only";
import { fromPrisma } from "pg-boss";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { getBoss, QUEUES } from "@/lib/jobs/boss";
import { runningLeaseIsStale } from "./package-lease";
import { selectPackageView, toPackageView, type TPackageView } from "./package-view";
import { requirePackageAccess } from "./require-package-access";
import { ZRequestPackageInput, type TRequestPackageInput } from "./schemas";

/**
 * Asks for the evidence package of the audit's current sign-off. Returns at once: a background
 * job (pg-boss) renders, signs and stores it, and the package row carries its progress.
 *
 * One package per sign-off (and internal-notes option), so two clicks, two tabs or two people
 * never issue two: a second request gets the package already queued, running or ready. A failed
 * one, or one whose worker died (lib/evidence/package-lease.ts), is queued again in its row.
 * After an admin reopens the audit and it is signed off again, the next request makes a new
 * version. The row, its event and the job commit together.
 */
export async function requestEvidencePackage({ user, input }: { user: TCurrentUser; input: TRequestPackageInput }): Promise<TPackageView> {
  const parsed = ZRequestPackageInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, includeInternalNotes } = parsed.data;
  await requirePackageAccess({ user, auditId, need: "issue" });
  const boss = await getBoss();

  return getDb().$transaction(async (tx) => {
    // Under the audit's row lock: a reopen cannot slip between the check and the insert.
    const [audit] = await tx.$queryRaw<{ status: string; sign_off_count: number }[]>`
      SELECT status::text, sign_off_count FROM audit WHERE id = ${auditId}::uuid FOR UPDATE`;
    if (!audit) throw new AppError("NOT_FOUND", "This audit does not exist or you have no access to it.");
    if (audit.status !== "SIGNED_OFF") {
      throw new AppError("CONFLICT", "Sign the audit off first: an evidence package records a signed-off audit.", { details: { reason: "not_signed_off" } });
    }
    const key = { auditId, signOff: audit.sign_off_count, includeInternalNotes };
    const existing = await tx.evidencePackage.findUnique({ where: { auditId_signOff_includeInternalNotes: key }, select: selectPackageView });
    // A failed one is queued again in its row; so is one left RUNNING by a worker that died
    // (its lease went stale): its old run, should it wake, can no longer write to the row.
    const requeue = existing !== null && (existing.state === "FAILED" || (existing.state === "RUNNING" && (await runningLeaseIsStale(tx, existing.id))));
    if (existing && !requeue) return toPackageView(existing);

    const row = existing
      ? await tx.evidencePackage.update({
          where: { id: existing.id },
          data: { state: "QUEUED", phase: "queued", progressDone: 0, progressTotal: 0, error: null, requestedById: user.id, requestedAt: new Date() },
          select: selectPackageView,
        })
      : await tx.evidencePackage.create({ data: { ...key, requestedById: user.id }, select: selectPackageView });
    await recordAuditEvent(tx, {
      auditId,
      actorId: user.id,
      action: "package.requested",
      subject: row.id,
      data: { includeInternalNotes, retry: existing !== null },
    });
    // In this transaction: no job without its row, no row without its job.
    const jobId = await boss.send(QUEUES.evidencePackage, { packageId: row.id }, { db: fromPrisma(tx), retryLimit: 1, retryDelay: 10, expireInSeconds: 15 * 60 });
    if (!jobId) throw new Error(`pg-boss did not queue the package job for ${row.id}`);
    return toPackageView(row);
  });
}
