import "server-only";
import type { NextAuthOptions } from "next-auth";
import type { TokenSet } from "openid-client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";
import { readGroupsClaim, rolesFromGroups } from "./roles";
import { upsertUser } from "./upsert-user";

export const OIDC_PROVIDER_ID = "oidc";

/**
 * Users are keyed by (issuer, subject). The demo identity provider listens on a new port at
 * every start, so its users are keyed by a fixed name instead of its URL.
 */
export const DEMO_ISSUER_KEY = "urn:assay:demo-idp";

let cached: NextAuthOptions | undefined;

export function getAuthOptions(): NextAuthOptions {
  if (cached) return cached;
  const env = getEnv();
  const issuer = env.OIDC_ISSUER;
  if (!issuer || !env.OIDC_CLIENT_ID || !env.OIDC_CLIENT_SECRET) {
    throw new Error("OIDC is not configured: start Assay with `npm start` (demo mode) or set OIDC_ISSUER, OIDC_CLIENT_ID and OIDC_CLIENT_SECRET");
  }
  const issuerKey = env.ASSAY_DEMO ? DEMO_ISSUER_KEY : issuer;

  cached = {
    secret: env.NEXTAUTH_SECRET,
    session: { strategy: "jwt", maxAge: 8 * 60 * 60 },
    pages: { signIn: "/signin", error: "/signin" },
    providers: [
      {
        id: OIDC_PROVIDER_ID,
        name: env.OIDC_DISPLAY_NAME,
        type: "oauth",
        wellKnown: `${issuer.replace(/\/$/, "")}/.well-known/openid-configuration`,
        clientId: env.OIDC_CLIENT_ID,
        clientSecret: env.OIDC_CLIENT_SECRET,
        idToken: true,
        checks: ["pkce", "state"],
        // In demo mode the sign-in page always shows, so that one can switch between demo users.
        authorization: { params: { scope: "openid email profile groups", ...(env.ASSAY_DEMO ? { prompt: "login" } : {}) } },
        // Some IdPs put groups in the ID token (Entra ID), others only in userinfo (Keycloak,
        // Authentik, the demo IdP): read both, userinfo winning.
        userinfo: {
          async request({ client, tokens }) {
            // `tokens` is an openid-client TokenSet at runtime; passing it whole makes
            // openid-client check that userinfo's `sub` is the ID token's.
            const tokenSet = tokens as TokenSet;
            return { ...tokenSet.claims(), ...(await client.userinfo(tokenSet)) };
          },
        },
        profile(profile: Record<string, unknown>) {
          return {
            id: String(profile.sub),
            email: typeof profile.email === "string" ? profile.email : null,
            name: typeof profile.name === "string" ? profile.name : null,
          };
        },
      },
    ],
    callbacks: {
      async signIn({ profile }) {
        // Without a subject there is nobody to sign in.
        return typeof profile?.sub === "string" && profile.sub.length > 0;
      },
      async jwt({ token, account, profile }) {
        if (account && profile?.sub) {
          const claims = profile as Record<string, unknown>;
          const roles = rolesFromGroups(readGroupsClaim(claims.groups), env);
          const user = await upsertUser({
            issuer: issuerKey,
            subject: profile.sub,
            email: typeof claims.email === "string" ? claims.email.toLowerCase() : null,
            name: typeof claims.name === "string" ? claims.name : null,
            roles,
          });
          token.uid = user.id;
          log.info("auth.sign_in", { userId: user.id, roles: user.roles });
        }
        return token;
      },
      async session({ session, token }) {
        if (session.user && typeof token.uid === "string") session.user.id = token.uid;
        return session;
      },
    },
    logger: {
      error: (code, metadata) => log.error("auth.error", { code, error: metadata instanceof Error ? metadata.message : undefined }),
      warn: (code) => log.warn("auth.warn", { code }),
      debug: () => {},
    },
  };
  return cached;
}
