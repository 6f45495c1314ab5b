import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess, type TAuditAccess } from "@/lib/audits/require-audit-access";
import { AppError } from "@/lib/errors";

/**
 * Evidence packages of an audit:
 * - view (see, download, verify against): anyone who may view the audit;
 * - issue (and share): the audit team who work on it — officers with edit access and the
 *   audit's reviewers — or an admin.
 * Non-members get NOT_FOUND from requireAuditAccess, as everywhere.
 */
export async function requirePackageAccess({ user, auditId, need }: { user: TCurrentUser; auditId: string; need: "view" | "issue" }): Promise<TAuditAccess> {
  const access = await requireAuditAccess({ user, auditId, need: "view" });
  if (need === "issue" && !canIssuePackages(access)) {
    throw new AppError("FORBIDDEN", "Only the audit's officers and reviewers can issue or share evidence packages.");
  }
  return access;
}

export function canIssuePackages(access: TAuditAccess): boolean {
  return access.can.edit || access.can.review;
}
