/** Only same-site paths may be returned to after sign-in: no open redirect through ?callbackUrl=. */
export function safeCallbackPath(raw: unknown, fallback = "/audits"): string {
  if (typeof raw !== "string" || raw.length > 2000) return fallback;
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.startsWith("/\\")) return fallback;
  if (raw.startsWith("/signin") || raw.startsWith("/api/auth")) return fallback;
  return raw;
}
