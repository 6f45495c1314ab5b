import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { requireInviteManager } from "./require-invite-manager";
import { ZInviteRef, type TInviteRef } from "./schemas";

/** The owner (or an admin) withdraws a link at once: it stops working for viewing and answering. */
export async function revokeInvite({ actor, input, now = new Date() }: { actor: TCurrentUser; input: TInviteRef; now?: Date }) {
  const parsed = ZInviteRef.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, inviteId } = parsed.data;
  await requireInviteManager(actor, auditId);

  return getDb().$transaction(async (tx) => {
    const invite = await tx.invite.findFirst({ where: { id: inviteId, auditId }, select: { id: true, name: true, email: true } });
    if (!invite) throw new AppError("NOT_FOUND", "This invite does not exist.");
    // The condition makes a second revoke (or one racing a re-issue) a no-op that we report.
    const { count } = await tx.invite.updateMany({ where: { id: invite.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("CONFLICT", "This link was already revoked.");
    await recordAuditEvent(tx, { auditId, actorId: actor.id, action: "invite.revoked", subject: invite.id, data: { name: invite.name, email: invite.email } });
    return { id: invite.id, revokedAt: now };
  });
}
