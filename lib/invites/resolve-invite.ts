import "server-only";
import { getDb } from "@/lib/db";
import { inviteState } from "./invite-state";
import { hashToken, isTokenShaped, tokenMatches } from "./tokens";

export type TInviteState = "active" | "submitted" | "expired" | "revoked";

export interface TInviteContext {
  id: string;
  auditId: string;
  name: string;
  email: string;
  /** Delegated section ids; empty: all sections. */
  sections: string[];
  expiresAt: Date;
  submittedAt: Date | null;
  state: TInviteState;
  /** Who sent the link, for "ask <officer> for a new link". */
  invitedBy: { name: string | null; email: string | null };
}

/**
 * The invite behind a link, in whatever state it is, or null when the token is unknown (or not
 * even shaped like one). Callers decide what each state may do; `requireInvite` does it for
 * the common cases.
 */
export async function resolveInvite(token: string, now = new Date()): Promise<TInviteContext | null> {
  if (!isTokenShaped(token)) return null;
  const row = await getDb().invite.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      auditId: true,
      tokenHash: true,
      name: true,
      email: true,
      sections: true,
      expiresAt: true,
      revokedAt: true,
      submittedAt: true,
      createdBy: { select: { name: true, email: true } },
    },
  });
  if (!row || !tokenMatches(token, row.tokenHash)) return null;
  const state = inviteState(row, now);
  return {
    id: row.id,
    auditId: row.auditId,
    name: row.name,
    email: row.email,
    sections: row.sections,
    expiresAt: row.expiresAt,
    submittedAt: row.submittedAt,
    state,
    invitedBy: row.createdBy,
  };
}
