import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getAuthOptions } from "@/lib/auth/options";

/** The session cookie next-auth sets after `user` signs in (the same JWT, the same secret). */
export async function sessionCookie(user: Pick<TCurrentUser, "id">): Promise<string> {
  const token = await encode({ token: { uid: user.id, sub: user.id }, secret: getAuthOptions().secret! });
  return `next-auth.session-token=${token}`;
}

/**
 * `request` as `user` would send it from a signed-in browser (null: without a session cookie),
 * for calling a route handler directly: the handler checks the cookie itself, as in the app.
 */
export async function asUser(user: Pick<TCurrentUser, "id"> | null, request: Request): Promise<NextRequest> {
  const headers = new Headers(request.headers);
  if (user) headers.set("cookie", await sessionCookie(user));
  const init = { method: request.method, headers, body: request.body, duplex: "half" };
  return new NextRequest(request.url, init as ConstructorParameters<typeof NextRequest>[1]);
}
