import "server-only";
import { cache } from "react";
import { redirect } from "next/navigation";
import { getServerSession } from "next-auth";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getAuthOptions } from "./options";
import type { TRole } from "./roles";

export { hasRole } from "./roles";

export interface TCurrentUser {
  id: string;
  email: string | null;
  name: string | null;
  roles: TRole[];
}

/**
 * The signed-in user, read from the database on every request (once per request thanks to
 * React's cache): roles changed at the last sign-in apply at once, and a deleted user is out.
 */
export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => {
  const session = await getServerSession(getAuthOptions());
  const id = session?.user?.id;
  if (!id) return null;
  return getDb().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, roles: true } });
});

/** For server actions and route handlers: the user, or an UNAUTHENTICATED error. */
export async function requireUser(): Promise<TCurrentUser> {
  const user = await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  return user;
}

/** For pages: the user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUserOrRedirect(returnTo: string): Promise<TCurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
