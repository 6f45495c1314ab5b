import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { findInvite, type TInviteLookup, type TRequiredInvite } from "./find-invite";
import { markInviteUsed } from "./mark-invite-used";
import { clientIp } from "./rate-limit";

/** Where a client out of bad-token budget is sent: a route handler that answers 429 + Retry-After. */
export const TOO_MANY_ATTEMPTS_PATH = "/r/too-many-attempts";

/**
 * The lookup of a link for the pages and layouts of one request, under the client's rate limit.
 * Cached per request (React cache): the layout and the page share one lookup, so an unknown
 * token is counted once. Never throws for a bad link, so a layout can frame any state.
 */
export const lookupInvitePage = cache(async (token: string): Promise<TInviteLookup> => {
  const found = await findInvite({ token, clientKey: clientIp(await headers()) });
  if (found.kind === "found" && (found.invite.state === "active" || found.invite.state === "submitted")) {
    await markInviteUsed(found.invite);
  }
  return found;
});

export type TInvitePageState =
  /** The answering page: answers editable ("active") or read-only ("submitted"). */
  | { state: "active" | "submitted"; invite: TRequiredInvite }
  | { state: "expired"; expiresAt: Date; invitedBy: TRequiredInvite["invitedBy"]; providerName: string }
  /** Nothing about the audit: a withdrawn link may be in the wrong hands. */
  | { state: "revoked" };

/**
 * What a page under /r/[token] shows: an unknown token is a plain 404 (not-found.tsx, which
 * reveals nothing); a client out of budget is redirected to the 429 page; expired and revoked
 * links get their own screens (components/invites/invite-expired.tsx, invite-revoked.tsx).
 */
export async function loadInvitePageState(token: string): Promise<TInvitePageState> {
  const found = await lookupInvitePage(token);
  if (found.kind === "limited") redirect(TOO_MANY_ATTEMPTS_PATH);
  if (found.kind === "unknown") notFound();
  const invite = found.invite;
  switch (invite.state) {
    case "revoked":
      return { state: "revoked" };
    case "expired":
      return { state: "expired", expiresAt: invite.expiresAt, invitedBy: invite.invitedBy, providerName: invite.providerName };
    default:
      return { state: invite.state, invite };
  }
}
