import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { lockAudit } from "./lock-audit";
import { ZSignOffAuditInput, type TSignOffAuditInput } from "./schemas";

/**
 * A reviewer signs the audit off: from then on its answers, files, ratings, verdict and clarifications are
 * read-only (here and in the database's triggers) until an admin reopens it.
 *
 * - A verdict is required, and it must be the one the reviewer saw (`verdictRevision`): a
 *   verdict revised meanwhile is not signed off blindly (CONFLICT).
 * - Unrated answers do not block: rating every answer is the reviewer's judgement, not a
 *   formality (the confirmation lists how many are unrated). Neither do open clarifications or
 *   missing evidence; the verdict's conditions are where those belong.
 * - Each sign-off counts (signOffCount): an evidence package belongs to one sign-off.
 */
export async function signOffAudit({ actor, input }: { actor: TCurrentUser; input: TSignOffAuditInput }) {
  const parsed = ZSignOffAuditInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, verdictRevision } = parsed.data;
  await requireAuditAccess({ user: actor, auditId, need: "review" });

  return getDb().$transaction(async (tx) => {
    const locked = await lockAudit(tx, auditId);
    if (locked.status === "SIGNED_OFF") throw new AppError("CONFLICT", "This audit is already signed off.", { details: { reason: "already_signed_off" } });
    const verdict = await tx.auditVerdict.findUnique({ where: { auditId }, select: { verdict: true, revision: true } });
    if (!verdict) {
      throw new AppError("INVALID_INPUT", "Record the verdict before signing off.", { fieldErrors: { verdict: "record the verdict first" }, details: { reason: "no_verdict" } });
    }
    if (verdict.revision !== verdictRevision) {
      throw new AppError("CONFLICT", "The verdict was changed after you opened this page. Read it again, then sign off.", { details: { reason: "verdict_changed" } });
    }
    const signedOffAt = new Date();
    const signOffCount = locked.signOffCount + 1;
    await tx.audit.update({ where: { id: auditId }, data: { status: "SIGNED_OFF", signedOffAt, signedOffById: actor.id, signOffCount } });
    await recordAuditEvent(tx, {
      auditId,
      actorId: actor.id,
      action: "audit.signed_off",
      data: { signOff: signOffCount, verdict: verdict.verdict, verdictRevision: verdict.revision },
    });
    return { auditId, signedOffAt: signedOffAt.toISOString(), signOffCount };
  });
}
