import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { decode } from "next-auth/jwt";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
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

/** The request's cookies: next/headers' cookies(), or a route handler's NextRequest.cookies. */
export interface TCookieSource {
  getAll(): { name: string; value: string }[];
}

/**
 * The signed-in user, read from the database on every request (once per request thanks to
 * React's cache): roles changed at the last sign-in apply at once, and a deleted user is out.
 */
export const getCurrentUser = cache(async (): Promise<TCurrentUser | null> => userFromSessionCookie(await cookies()));

/**
 * For server actions and route handlers: the user, or an UNAUTHENTICATED error. Route handlers
 * pass their request, so the same check runs wherever the request comes from (tests call the
 * handlers with a request that carries a real session cookie).
 */
export async function requireUser(req?: { cookies: TCookieSource }): Promise<TCurrentUser> {
  const user = req ? await userFromSessionCookie(req.cookies) : await getCurrentUser();
  if (!user) throw new AppError("UNAUTHENTICATED", "Your session has ended. Sign in again.");
  return user;
}

/**
 * next-auth's session cookie (a JWT encrypted with NEXTAUTH_SECRET, split into `.0`, `.1`, …
 * chunks when large), decrypted and checked (expiry included) as next-auth does; then the user
 * it names, from the database. Any fault in the cookie reads as signed out.
 */
async function userFromSessionCookie(source: TCookieSource): Promise<TCurrentUser | null> {
  const name = getEnv().NEXTAUTH_URL?.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
  const isPart = (n: string) => n === name || (n.startsWith(`${name}.`) && /^\d+$/.test(n.slice(name.length + 1)));
  const chunk = (n: string) => (n === name ? 0 : Number(n.slice(name.length + 1)));
  const parts = source
    .getAll()
    .filter((c) => isPart(c.name))
    .sort((a, b) => chunk(a.name) - chunk(b.name));
  if (parts.length === 0) return null;
  const token = await decode({ token: parts.map((c) => c.value).join(""), secret: getAuthOptions().secret! }).catch(() => null);
  const id = typeof token?.uid === "string" ? token.uid : null;
  if (!id) return null;
  return getDb().user.findUnique({ where: { id }, select: { id: true, email: true, name: true, roles: true } });
}

/** For pages: the user, or a redirect to the sign-in page that comes back to `returnTo`. */
export async function requireUserOrRedirect(returnTo: string): Promise<TCurrentUser> {
  const user = await getCurrentUser();
  if (!user) redirect(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}
