import "server-only";
import { getDb } from "@/lib/db";
import { checkBadTokenBudget, consumeBadTokenAttempt } from "@/lib/invites/rate-limit";
import { hashToken, isTokenShaped, tokenMatches } from "@/lib/invites/tokens";
import { selectPackageView, toPackageView, type TPackageView } from "../package-view";
import { packageShareState, type TPackageShareState } from "./share-state";

/** A share link and what its page shows: the package, its provider, who shared it. */
export interface TPackageShareContext {
  id: string;
  packageId: string;
  label: string;
  state: TPackageShareState;
  createdAt: Date;
  expiresAt: Date;
  revokedAt: Date | null;
  /** Who made the link, for "ask <who> for a new link". */
  sharedBy: { name: string | null; email: string | null };
  pkg: TPackageView;
  providerName: string;
  /** SHA-256 fingerprint of the signing certificate (as `openssl x509 -fingerprint -sha256` prints it), when recorded. */
  signerFingerprint: string | null;
}

export type TPackageShareLookup =
  | { kind: "found"; share: TPackageShareContext }
  | { kind: "unknown" }
  | { kind: "limited"; retryAfterSeconds: number };

/**
 * The share link behind a token, in whatever state it is, under the bad-token rate limit of
 * `clientKey` — the same budget as invite links (lib/invites/rate-limit.ts): a client out of
 * budget gets "limited" before any lookup; an unknown (or malformed) token costs it one attempt.
 * `clientKey` null: no limit (tests, never a request).
 *
 * Share tokens and invite tokens are made alike but live in different tables: an invite's token
 * is unknown here.
 */
export async function resolvePackageShare({ token, clientKey, now = new Date() }: { token: string; clientKey: string | null; now?: Date }): Promise<TPackageShareLookup> {
  if (clientKey !== null) {
    const budget = await checkBadTokenBudget(clientKey);
    if (!budget.allowed) return { kind: "limited", retryAfterSeconds: budget.retryAfterSeconds };
  }
  const share = await readShare(token, now);
  if (!share) {
    if (clientKey !== null) {
      const attempt = await consumeBadTokenAttempt(clientKey);
      if (!attempt.allowed) return { kind: "limited", retryAfterSeconds: attempt.retryAfterSeconds };
    }
    return { kind: "unknown" };
  }
  return { kind: "found", share };
}

async function readShare(token: string, now: Date): Promise<TPackageShareContext | null> {
  if (!isTokenShaped(token)) return null;
  const row = await getDb().packageShare.findUnique({
    where: { tokenHash: hashToken(token) },
    select: {
      id: true,
      packageId: true,
      tokenHash: true,
      label: true,
      createdAt: true,
      expiresAt: true,
      revokedAt: true,
      createdBy: { select: { name: true, email: true } },
      package: { select: { ...selectPackageView, audit: { select: { providerName: true } } } },
    },
  });
  if (!row || !tokenMatches(token, row.tokenHash)) return null;
  const { audit, ...pkg } = row.package;
  const fingerprint = (pkg.signer as { fingerprintSha256?: unknown } | null)?.fingerprintSha256;
  return {
    id: row.id,
    packageId: row.packageId,
    label: row.label,
    state: packageShareState(row, now),
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
    revokedAt: row.revokedAt,
    sharedBy: row.createdBy,
    pkg: toPackageView(pkg),
    providerName: audit.providerName,
    signerFingerprint: typeof fingerprint === "string" ? fingerprint : null,
  };
}
