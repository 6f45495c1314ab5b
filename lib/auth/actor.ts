import type { TInviteContext } from "@/lib/invites/resolve-invite";
import type { TCurrentUser } from "./current-user";

/** Who is acting: a signed-in user, or a provider contact through an invite link. */
export type TActor = { kind: "user"; user: TCurrentUser } | { kind: "invite"; invite: TInviteContext };

export const userActor = (user: TCurrentUser): TActor => ({ kind: "user", user });
export const inviteActor = (invite: TInviteContext): TActor => ({ kind: "invite", invite });

/** The columns that record the author of a change: exactly one of the two is set. */
export function authorColumns(actor: TActor): { userId: string | null; inviteId: string | null } {
  return actor.kind === "user" ? { userId: actor.user.id, inviteId: null } : { userId: null, inviteId: actor.invite.id };
}
