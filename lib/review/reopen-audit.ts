import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { lockAudit } from "./lock-audit";
import { ZReopenAuditInput, type TReopenAuditInput } from "./schemas";

/**
 * An administrator reopens a signed-off audit, saying why: it is in progress again (answers,
 * files, ratings and the verdict can change), the reason is recorded, and the audit's owner is
 * notified in the app, in the same transaction. Nothing already issued changes: signOffCount
 * stays, so an evidence package of the earlier sign-off remains what it was, and the next
 * sign-off's package is a new version.
 */
export async function reopenAudit({ actor, input }: { actor: TCurrentUser; input: TReopenAuditInput }) {
  const parsed = ZReopenAuditInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, reason } = parsed.data;
  // Members who are not admins learn only that they may not; non-members that it does not exist.
  await requireAuditAccess({ user: actor, auditId, need: "view" });
  if (!hasRole(actor, "ADMIN")) throw new AppError("FORBIDDEN", "Only an administrator can reopen a signed-off audit.");

  return getDb().$transaction(async (tx) => {
    const locked = await lockAudit(tx, auditId);
    if (locked.status !== "SIGNED_OFF") throw new AppError("CONFLICT", "This audit is not signed off; there is nothing to reopen.");
    await tx.audit.update({ where: { id: auditId }, data: { status: "IN_PROGRESS", signedOffAt: null, signedOffById: null } });
    await recordAuditEvent(tx, { auditId, actorId: actor.id, action: "audit.reopened", data: { reason, signOff: locked.signOffCount } });
    const owners = await tx.auditMember.findMany({ where: { auditId, role: "OWNER" }, select: { userId: true } });
    await tx.notification.createMany({
      data: owners.map((o) => ({
        userId: o.userId,
        auditId,
        kind: "audit.reopened",
        message: `${actor.name ?? actor.email ?? "An administrator"} reopened the signed-off audit of ${locked.providerName}: ${reason}`,
      })),
    });
    return { auditId, signOffCount: locked.signOffCount };
  });
}
