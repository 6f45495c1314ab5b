import "server-only";
import { AppError } from "@/lib/errors";
import { formatDateTime } from "@/lib/format";
import { findInvite, type TRequiredInvite } from "./find-invite";
import type { TInviteState } from "./resolve-invite";
import { markInviteUsed } from "./mark-invite-used";

export type TInviteNeed = "view" | "answer";

/**
 * The one access check for a provider acting through a link (the respondent's pages, server
 * actions and route handlers):
 * - unknown token: NOT_FOUND, nothing more said;
 * - too many unknown tokens from this client: RATE_LIMITED, details.retryAfterSeconds (answer 429
 *   with Retry-After);
 * - revoked or expired: FORBIDDEN, for viewing as for answering;
 * - submitted: may view, not answer (FORBIDDEN) until an officer reopens.
 * `details.state` says which, so callers need not read messages.
 *
 * `clientKey`: clientIp(await headers()) in a request — required, so that no entry point
 * forgets the guessing limit; null only outside requests (tests, jobs).
 */
export async function requireInvite({
  token,
  need,
  clientKey,
  now = new Date(),
}: {
  token: string;
  need: TInviteNeed;
  clientKey: string | null;
  now?: Date;
}): Promise<TRequiredInvite> {
  const found = await findInvite({ token, clientKey, now });
  if (found.kind === "limited") {
    throw new AppError("RATE_LIMITED", `Too many links that do not exist were tried from your network. Try again in ${found.retryAfterSeconds} seconds.`, {
      details: { retryAfterSeconds: found.retryAfterSeconds },
    });
  }
  if (found.kind === "unknown") throw new AppError("NOT_FOUND", "This link does not exist.");
  const invite = found.invite;
  const refusal = inviteRefusal(invite, need);
  if (refusal) throw refusal;
  await markInviteUsed(invite, now);
  return invite;
}

/** Why an invite in this state may not do `need`, as the AppError to throw; null when it may. */
export function inviteRefusal(invite: { state: TInviteState; expiresAt: Date }, need: TInviteNeed): AppError | null {
  switch (invite.state) {
    case "revoked":
      return new AppError("FORBIDDEN", "This link was withdrawn and no longer works.", { details: { state: "revoked" } });
    case "expired":
      return new AppError("FORBIDDEN", `This link expired on ${formatDateTime(invite.expiresAt)}.`, {
        details: { state: "expired", expiresAt: invite.expiresAt.toISOString() },
      });
    case "submitted":
      return need === "answer"
        ? new AppError("FORBIDDEN", "These answers were submitted; read-only until reopened.", { details: { state: "submitted" } })
        : null;
    case "active":
      return null;
  }
}
