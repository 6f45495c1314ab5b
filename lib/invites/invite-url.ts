import "server-only";
import { getEnv } from "@/lib/env";

/** Assay's public base URL, without a trailing slash (the same fallback as scripts/start.ts). */
export function appBaseUrl(): string {
  const env = getEnv();
  return (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/+$/, "");
}

/** The link a provider contact opens. It carries the token: never log it, never store it. */
export function inviteUrl(token: string): string {
  return `${appBaseUrl()}/r/${token}`;
}
