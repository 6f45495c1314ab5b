import "server-only";
import { headers } from "next/headers";
import { notFound, redirect } from "next/navigation";
import { cache } from "react";
import { clientIp } from "@/lib/invites/rate-limit";
import { resolvePackageShare, type TPackageShareContext, type TPackageShareLookup } from "./resolve-package-share";

/** Where a client out of bad-token budget is sent: a route handler that answers 429 + Retry-After. */
export const SHARE_TOO_MANY_ATTEMPTS_PATH = "/p/too-many-attempts";

/**
 * The lookup of a share link for the layout and page of one request, under the client's rate
 * limit. Cached per request (React cache): the layout and the page share one lookup, so an
 * unknown token is counted once. Never throws for a bad link, so the layout can frame any state.
 */
export const lookupSharePage = cache(async (token: string): Promise<TPackageShareLookup> => resolvePackageShare({ token, clientKey: clientIp(await headers()) }));

export type TSharePageState =
  | { state: "active"; share: TPackageShareContext }
  /** Whom to ask for a new link, and what it was for. */
  | { state: "expired"; expiresAt: Date; sharedBy: TPackageShareContext["sharedBy"]; providerName: string }
  /** Nothing about the package: a withdrawn link may be in the wrong hands. */
  | { state: "revoked" };

/**
 * What the page at /p/[token] shows, mirroring the invite pages (lib/invites/invite-page-state.ts):
 * an unknown token is a plain 404 (not-found.tsx, which reveals nothing); a client out of
 * budget is redirected to the 429 page; expired and revoked links get their own screens.
 */
export async function loadSharePageState(token: string): Promise<TSharePageState> {
  const found = await lookupSharePage(token);
  if (found.kind === "limited") redirect(SHARE_TOO_MANY_ATTEMPTS_PATH);
  if (found.kind === "unknown") notFound();
  const share = found.share;
  switch (share.state) {
    case "revoked":
      return { state: "revoked" };
    case "expired":
      return { state: "expired", expiresAt: share.expiresAt, sharedBy: share.sharedBy, providerName: share.providerName };
    case "active":
      return { state: "active", share };
  }
}
