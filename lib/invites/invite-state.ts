import type { TInviteState } from "./resolve-invite";

/**
 * The state of an invite row at `now`. Revoked wins over expired, expired over submitted: a
 * submitted respondent keeps read access only while the link is valid.
 */
export function inviteState(row: { revokedAt: Date | null; expiresAt: Date; submittedAt: Date | null }, now = new Date()): TInviteState {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return row.submittedAt ? "submitted" : "active";
}
