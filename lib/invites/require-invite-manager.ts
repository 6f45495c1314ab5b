import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess, type TAuditAccess } from "@/lib/audits/require-audit-access";
import { AppError, isAppError } from "@/lib/errors";

/**
 * Who may create, revoke, re-issue and reopen invite links: whoever may manage the audit (its
 * owner, or an administrator). A link grants an outsider access to the audit, exactly as adding
 * a member does, so it takes the same right. Non-members get NOT_FOUND, as everywhere.
 * See docs/decisions/006-invite-links.md.
 */
export async function requireInviteManager(user: TCurrentUser, auditId: string): Promise<TAuditAccess> {
  try {
    return await requireAuditAccess({ user, auditId, need: "manage" });
  } catch (e) {
    if (isAppError(e) && e.code === "FORBIDDEN") {
      throw new AppError("FORBIDDEN", "Only the audit's owner or an administrator can invite providers and manage their links.");
    }
    throw e;
  }
}
