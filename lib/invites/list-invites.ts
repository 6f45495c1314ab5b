import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { inviteState } from "./invite-state";
import type { TInviteState } from "./resolve-invite";

export interface TInviteListItem {
  id: string;
  name: string;
  email: string;
  /** Delegated section ids; empty: every section. */
  sections: string[];
  state: TInviteState;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  submittedAt: Date | null;
  /** Updated at most once a minute. Mail scanners that open links count as a use too. */
  lastUsedAt: Date | null;
  /** Who sent (or re-issued) the link. */
  createdBy: string | null;
}

/**
 * The invites of an audit for its officer panel, newest first. Every member may see them
 * (who was asked, and whether they answered, is part of the audit's record); only whoever may
 * manage the audit changes them.
 */
export async function listInvites({ user, auditId, now = new Date() }: { user: TCurrentUser; auditId: string; now?: Date }): Promise<TInviteListItem[]> {
  const access = await requireAuditAccess({ user, auditId, need: "view" });
  const rows = await getDb().invite.findMany({
    where: { auditId: access.auditId },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    select: {
      id: true,
      name: true,
      email: true,
      sections: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      submittedAt: true,
      lastUsedAt: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
  return rows.map(({ createdBy, ...r }) => ({ ...r, state: inviteState(r, now), createdBy: createdBy.name ?? createdBy.email }));
}
