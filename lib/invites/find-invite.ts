import "server-only";
import { checkBadTokenBudget, consumeBadTokenAttempt } from "./rate-limit";
import { resolveInvite, type TInviteContext } from "./resolve-invite";

/** An invite behind a link, with what a respondent page needs of its audit. */
export type TRequiredInvite = TInviteContext;

export type TInviteLookup =
  | { kind: "found"; invite: TRequiredInvite }
  | { kind: "unknown" }
  | { kind: "limited"; retryAfterSeconds: number };

/**
 * Looks a link's token up under the bad-token rate limit of `clientKey` (see rate-limit.ts):
 * a client out of budget gets "limited" before any lookup; an unknown token costs it one
 * attempt. `clientKey` null: no limit (internal callers and tests, never a request).
 */
export async function findInvite({ token, clientKey, now = new Date() }: { token: string; clientKey: string | null; now?: Date }): Promise<TInviteLookup> {
  if (clientKey !== null) {
    const budget = await checkBadTokenBudget(clientKey);
    if (!budget.allowed) return { kind: "limited", retryAfterSeconds: budget.retryAfterSeconds };
  }
  const invite = await resolveInvite(token, now);
  if (!invite) {
    if (clientKey !== null) {
      const attempt = await consumeBadTokenAttempt(clientKey);
      if (!attempt.allowed) return { kind: "limited", retryAfterSeconds: attempt.retryAfterSeconds };
    }
    return { kind: "unknown" };
  }
  return { kind: "found", invite };
}
