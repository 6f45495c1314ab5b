import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import type { MemberRole } from "@/lib/generated/prisma/client";
import { ZAuditId } from "./schemas";

/**
 * - view:   any member of the audit, or an admin;
 * - edit:   answer questions and take notes: the owner or an officer member who still holds
 *           the officer role, or an admin;
 * - manage: add members: the owner, or an admin.
 */
export type TAuditNeed = "view" | "edit" | "manage";

export interface TAuditAccess {
  auditId: string;
  /** The user's role in this audit; null for an admin who is not a member. */
  memberRole: MemberRole | null;
  can: Record<TAuditNeed, boolean>;
}

const NOT_FOUND = () => new AppError("NOT_FOUND", "This audit does not exist or you have no access to it.");

/**
 * The one access check for anything inside an audit. A user who is not a member gets the same
 * NOT_FOUND as for an audit that does not exist: no 403, no title, no hint that it exists.
 */
export async function requireAuditAccess({
  user,
  auditId,
  need,
}: {
  user: TCurrentUser;
  auditId: string;
  need: TAuditNeed;
}): Promise<TAuditAccess> {
  if (!ZAuditId.safeParse(auditId).success) throw NOT_FOUND();
  const isAdmin = hasRole(user, "ADMIN");
  const audit = await getDb().audit.findFirst({
    where: isAdmin ? { id: auditId } : { id: auditId, members: { some: { userId: user.id } } },
    select: { id: true, members: { where: { userId: user.id }, select: { role: true } } },
  });
  if (!audit) throw NOT_FOUND();
  const memberRole = audit.members[0]?.role ?? null;
  const editor = (memberRole === "OWNER" || memberRole === "OFFICER") && hasRole(user, "OFFICER");
  const can: Record<TAuditNeed, boolean> = {
    view: true,
    edit: isAdmin || editor,
    manage: isAdmin || (memberRole === "OWNER" && hasRole(user, "OFFICER")),
  };
  if (!can[need]) {
    throw new AppError("FORBIDDEN", need === "edit" ? "You can view this audit but not change its answers." : "Only the audit's owner can manage its members.");
  }
  return { auditId: audit.id, memberRole, can };
}
