/** A share link's state. A revoked link stays revoked after its expiry date passes. */
export type TPackageShareState = "active" | "expired" | "revoked";

/** The state of a share row at `now`: revoked wins over expired. */
export function packageShareState(row: { revokedAt: Date | null; expiresAt: Date }, now = new Date()): TPackageShareState {
  if (row.revokedAt) return "revoked";
  if (row.expiresAt <= now) return "expired";
  return "active";
}
