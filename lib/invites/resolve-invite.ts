import "server-only";
import { getPool } from "@/lib/db";
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
  lastUsedAt: Date | null;
  state: TInviteState;
  /** Who sent the link, for "ask <officer> for a new link". */
  invitedBy: { name: string | null; email: string | null };
  /** Of the invite's audit: what the respondent's pages and saves need, read with the invite. */
  providerName: string;
  questionnaireVersionId: string;
  scope: Record<string, boolean>;
}

interface TInviteRow {
  id: string;
  audit_id: string;
  token_hash: string;
  name: string;
  email: string;
  sections: string[];
  expires_at: Date;
  revoked_at: Date | null;
  submitted_at: Date | null;
  last_used_at: Date | null;
  invited_by_name: string | null;
  invited_by_email: string | null;
  provider_name: string;
  questionnaire_version_id: string;
  scope: Record<string, boolean>;
}

// A named prepared statement: planned once per connection (every autosave starts here).
const RESOLVE_INVITE_SQL = `
  SELECT i.id, i.audit_id, i.token_hash, i.name, i.email, i.sections, i.expires_at, i.revoked_at, i.submitted_at,
         i.last_used_at, u.name AS invited_by_name, u.email AS invited_by_email,
         a.provider_name, a.questionnaire_version_id, a.scope
    FROM invite i
    JOIN audit a ON a.id = i.audit_id
    JOIN "user" u ON u.id = i.created_by_id
   WHERE i.token_hash = $1`;

/**
 * The invite behind a link, in whatever state it is, or null when the token is unknown (or not
 * even shaped like one). Callers decide what each state may do; `requireInvite` does it for
 * the common cases.
 *
 * One query (invite, its audit and its sender joined): every autosave of a provider starts here.
 */
export async function resolveInvite(token: string, now = new Date()): Promise<TInviteContext | null> {
  if (!isTokenShaped(token)) return null;
  const { rows } = await getPool().query<TInviteRow>({ name: "assay.resolve-invite", text: RESOLVE_INVITE_SQL, values: [hashToken(token)] });
  const row = rows[0];
  if (!row || !tokenMatches(token, row.token_hash)) return null;
  const invite = { revokedAt: row.revoked_at, expiresAt: row.expires_at, submittedAt: row.submitted_at };
  return {
    id: row.id,
    auditId: row.audit_id,
    name: row.name,
    email: row.email,
    sections: row.sections,
    expiresAt: row.expires_at,
    submittedAt: row.submitted_at,
    lastUsedAt: row.last_used_at,
    state: inviteState(invite, now),
    invitedBy: { name: row.invited_by_name, email: row.invited_by_email },
    providerName: row.provider_name,
    questionnaireVersionId: row.questionnaire_version_id,
    scope: row.scope,
  };
}
