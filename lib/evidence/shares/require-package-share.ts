import "server-only";
import { AppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { resolvePackageShare, type TPackageShareContext } from "./resolve-package-share";

/**
 * The one access check for downloads through a share link (the route handlers under /api/p):
 * - unknown or malformed token: NOT_FOUND, nothing more said;
 * - too many unknown tokens from this client: RATE_LIMITED with details.retryAfterSeconds
 *   (429 with Retry-After);
 * - revoked or expired: FORBIDDEN with details.state.
 * Returns the link, its package and provider; the caller passes
 * `{ kind: "share", shareId, label }` as the reader, so the download is recorded with the link.
 *
 * `clientKey`: clientIp(request headers) — required, so that no entry point forgets the
 * guessing limit; null only outside requests (tests).
 */
export async function requirePackageShare({ token, clientKey, now = new Date() }: { token: string; clientKey: string | null; now?: Date }): Promise<TPackageShareContext> {
  const found = await resolvePackageShare({ token, clientKey, now });
  if (found.kind === "limited") {
    throw new AppError("RATE_LIMITED", `Too many links that do not exist were tried from your network. Try again in ${found.retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds: found.retryAfterSeconds },
    });
  }
  if (found.kind === "unknown") throw new AppError("NOT_FOUND", "This link does not exist.");
  const share = found.share;
  if (share.state === "revoked") throw new AppError("FORBIDDEN", "This link was withdrawn and no longer works.", { details: { state: "revoked" } });
  if (share.state === "expired") {
    throw new AppError("FORBIDDEN", `This link expired on ${formatDateTime(share.expiresAt)}.`, { details: { state: "expired", expiresAt: share.expiresAt.toISOString() } });
  }
  return share;
}
