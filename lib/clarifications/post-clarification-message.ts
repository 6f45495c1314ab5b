import "server-only";
import { authorColumns, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { ClarificationStatus } from "@/lib/generated/prisma/client";
import { lockOpenAuditForClarification, requireClarification } from "./require-clarification";
import { ZPostClarificationMessageInput, type TPostClarificationMessageInput } from "./schemas";

/**
 * Who may write what, and what it does to the thread:
 *
 * | author                      | message  | allowed on       | status afterwards      |
 * |-----------------------------|----------|------------------|------------------------|
 * | officer (edit access)       | visible  | OPEN, ANSWERED   | OPEN (asks again)      |
 * | any member (view access)    | internal | any status       | unchanged              |
 * | provider (active invite for | visible  | OPEN, ANSWERED   | ANSWERED               |
 * |   the question's section)   |          |                  |                        |
 *
 * A provider never writes an internal note: refused here, and by the database's CHECK
 * (clarification_message_internal_by_user). A RESOLVED thread takes internal notes only; an
 * officer reopens it to write to the provider again. Nobody writes once the audit is signed off
 * (lockOpenAuditForClarification).
 */
export async function postClarificationMessage({ actor, input }: { actor: TActor; input: TPostClarificationMessageInput }) {
  const parsed = ZPostClarificationMessageInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { clarificationId, body, internal } = parsed.data;

  if (actor.kind === "invite" && internal) {
    throw new AppError("FORBIDDEN", "Internal notes are for the audit team; write a reply instead.", { fieldErrors: { internal: "not available to providers" } });
  }
  const thread = await requireClarification({ actor, clarificationId, need: internal ? "view" : "edit" }).catch((e: unknown) => {
    // A member with view access only (a reviewer) who tried to write to the provider: say what they can do instead.
    if (e instanceof AppError && e.code === "FORBIDDEN" && actor.kind === "user") {
      throw new AppError("FORBIDDEN", "You can add internal notes; only the audit's officers write to the provider.", { fieldErrors: { internal: "only officers write to the provider" } });
    }
    throw e;
  });

  // The status a visible message leads to, and the statuses it may be written on.
  const next: ClarificationStatus | null = internal ? null : actor.kind === "invite" ? "ANSWERED" : "OPEN";
  const author = authorColumns(actor);

  return getDb().$transaction(async (tx) => {
    await lockOpenAuditForClarification(tx, thread.auditId);
    let status = thread.status;
    if (next) {
      // Conditional on the status as it is at commit time, so a reply racing a "resolve" cannot
      // reopen the thread behind the officer's back.
      const { count } = await tx.clarification.updateMany({
        where: { id: thread.id, status: { in: ["OPEN", "ANSWERED"] } },
        data: { status: next, updatedAt: new Date() },
      });
      if (count === 0) {
        throw new AppError(
          "CONFLICT",
          actor.kind === "invite" ? "The auditor has closed this request; it takes no more replies." : "This clarification is resolved. Reopen it to write to the provider, or add an internal note.",
        );
      }
      status = next;
    } else {
      await tx.clarification.update({ where: { id: thread.id }, data: { updatedAt: new Date() } });
    }
    const message = await tx.clarificationMessage.create({
      data: { clarificationId: thread.id, body, internal, authorId: author.userId, authorInviteId: author.inviteId },
      select: { id: true, createdAt: true },
    });
    await tx.audit.update({ where: { id: thread.auditId }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, {
      auditId: thread.auditId,
      actorId: author.userId,
      inviteId: author.inviteId,
      action: "clarification.message_posted",
      subject: thread.questionId,
      data: {
        clarificationId: thread.id,
        messageId: message.id,
        internal,
        body,
        ...(status !== thread.status ? { status: { from: thread.status, to: status } } : {}),
      },
    });
    return { auditId: thread.auditId, clarificationId: thread.id, messageId: message.id, status };
  });
}
