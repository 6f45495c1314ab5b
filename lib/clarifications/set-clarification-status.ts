import "server-only";
import { userActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { lockOpenAuditForClarification, requireClarification } from "./require-clarification";
import { ZSetClarificationStatusInput, type TSetClarificationStatusInput } from "./schemas";

/**
 * An officer resolves a thread (from OPEN or ANSWERED) or reopens it (to OPEN, e.g. when the
 * provider's reply does not settle it). Asking for a status the thread already has changes
 * nothing and records nothing, so two officers clicking "Resolve" at once both succeed. Refused
 * once the audit is signed off, even when it would change nothing (lockOpenAuditForClarification).
 */
export async function setClarificationStatus({ actor, input }: { actor: TCurrentUser; input: TSetClarificationStatusInput }) {
  const parsed = ZSetClarificationStatusInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { clarificationId, status } = parsed.data;

  const thread = await requireClarification({ actor: userActor(actor), clarificationId, need: "edit" }).catch((e: unknown) => {
    if (e instanceof AppError && e.code === "FORBIDDEN") throw new AppError("FORBIDDEN", "Only the audit's officers can resolve or reopen clarifications.");
    throw e;
  });
  const result = { auditId: thread.auditId, clarificationId: thread.id, status };

  return getDb().$transaction(async (tx) => {
    await lockOpenAuditForClarification(tx, thread.auditId);
    if (thread.status === status) return result;
    // Conditional on the status we decided from; if it moved meanwhile, say so rather than guess.
    const { count } = await tx.clarification.updateMany({
      where: { id: thread.id, status: thread.status },
      data: { status, updatedAt: new Date() },
    });
    if (count === 0) throw new AppError("CONFLICT", "Someone changed this clarification meanwhile. Reload to see it as it is now.");
    await tx.audit.update({ where: { id: thread.auditId }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, {
      auditId: thread.auditId,
      actorId: actor.id,
      action: status === "RESOLVED" ? "clarification.resolved" : "clarification.reopened",
      subject: thread.questionId,
      data: { clarificationId: thread.id, from: thread.status, to: status },
    });
    return result;
  });
}
