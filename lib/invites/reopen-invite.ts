import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { inviteState } from "./invite-state";
import { requireInviteManager } from "./require-invite-manager";
import { ZInviteRef, type TInviteRef } from "./schemas";

/**
 * The owner (or an admin) lets a respondent who submitted edit again (e.g. after a
 * clarification): clears submittedAt. Only a valid link can be reopened; an expired one is
 * re-issued first (the new link stays submitted until it is reopened).
 */
export async function reopenInvite({ actor, input, now = new Date() }: { actor: TCurrentUser; input: TInviteRef; now?: Date }) {
  const parsed = ZInviteRef.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, inviteId } = parsed.data;
  await requireInviteManager(actor, auditId);

  return getDb().$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({
      where: { id: inviteId, auditId },
      select: { id: true, name: true, email: true, expiresAt: true, revokedAt: true, submittedAt: true },
    });
    if (!invite) throw new AppError("NOT_FOUND", "This invite does not exist.");
    const state = inviteState(invite, now);
    if (state === "revoked") throw new AppError("CONFLICT", "This link was revoked. Invite the contact again instead.");
    if (state === "expired") throw new AppError("CONFLICT", "This link has expired. Re-issue it first, then reopen the new one.");
    if (state === "active") throw new AppError("CONFLICT", "This contact has not submitted; their link is open for answers already.");
    // Conditional, so that a revoke or a second reopen racing this one is reported, not undone.
    const { count } = await tx.invite.updateMany({
      where: { id: invite.id, revokedAt: null, submittedAt: { not: null }, expiresAt: { gt: now } },
      data: { submittedAt: null },
    });
    if (count === 0) throw new AppError("CONFLICT", "This link changed meanwhile. Reload the page and try again.");
    await recordAuditEvent(tx, {
      auditId,
      actorId: actor.id,
      action: "invite.reopened",
      subject: invite.id,
      data: { name: invite.name, email: invite.email, submittedAt: invite.submittedAt!.toISOString() },
    });
    return { id: invite.id };
  });
}
