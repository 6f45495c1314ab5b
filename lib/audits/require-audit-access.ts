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
 * - manage: add members: the owner, or an admin;
 * - review: rate answers, record the verdict, sign off: a member added as reviewer who still
 *           holds the reviewer role, or an admin.
 *
 * These say who may, by role. Whether the audit is open for changes is `signedOff`: a signed-off
 * audit's answers, files, ratings, verdict and clarifications are read-only for everyone (the operations refuse
 * under the audit row's lock, and the database's triggers refuse with SQLSTATE AY002).
 */
export type TAuditNeed = "view" | "edit" | "manage" | "review";

export interface TAuditAccess {
  auditId: string;
  /** The user's role in this audit; null for an admin who is not a member. */
  memberRole: MemberRole | null;
  can: Record<TAuditNeed, boolean>;
  /** Signed off when checked: answers, files, ratings, the verdict and clarifications are read-only until an admin reopens it. */
  signedOff: boolean;
}

const REFUSALS: Record<Exclude<TAuditNeed, "view">, string> = {
  edit: "You can view this audit but not change its answers.",
  manage: "Only the audit's owner can manage its members.",
  review: "Only the audit's reviewers can rate answers, record the verdict and sign it off.",
};

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
    select: { id: true, status: true, members: { where: { userId: user.id }, select: { role: true } } },
  });
  if (!audit) throw NOT_FOUND();
  const memberRole = audit.members[0]?.role ?? null;
  const editor = (memberRole === "OWNER" || memberRole === "OFFICER") && hasRole(user, "OFFICER");
  const can: Record<TAuditNeed, boolean> = {
    view: true,
    edit: isAdmin || editor,
    manage: isAdmin || (memberRole === "OWNER" && hasRole(user, "OFFICER")),
    review: isAdmin || (memberRole === "REVIEWER" && hasRole(user, "REVIEWER")),
  };
  if (need !== "view" && !can[need]) throw new AppError("FORBIDDEN", REFUSALS[need]);
  return { auditId: audit.id, memberRole, can, signedOff: audit.status === "SIGNED_OFF" };
}
