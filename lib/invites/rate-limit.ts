import "server-only";
import { isIP } from "node:net";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

// Guessing protection for invite links: per client, at most 20 unknown tokens a minute. Once a
// client has used them up, it gets 429 for every link until the minute is over — before the
// token is even looked up, so a blocked client learns nothing about any token, good or bad.
// Known tokens are never counted.
//
// The counters live in this process's memory (rate-limiter-flexible's memory store): with
// several Assay processes behind a load balancer each allows 20, and a restart forgets them.
// A token has 256 random bits, so the limit is defence in depth (against scanners and against
// someone completing a truncated link), not what keeps links secret. See
// docs/decisions/006-invite-links.md.

export const BAD_TOKEN_LIMIT = { attempts: 20, perSeconds: 60 } as const;

/**
 * The bucket of clients Assay cannot tell apart: without a trusted proxy, Next.js gives route
 * handlers and pages no peer address, so every client shares it (and one client's bad links
 * can block everyone's for up to a minute). Set TRUST_PROXY behind a reverse proxy.
 */
export const SHARED_CLIENT_KEY = "shared";

export interface TRateDecision {
  allowed: boolean;
  /** Whole seconds until the client may try again; 0 when allowed. */
  retryAfterSeconds: number;
}

const globalForLimiter = globalThis as unknown as { assayBadTokenLimiter?: RateLimiterMemory; assaySharedKeyWarned?: boolean };

function limiter(): RateLimiterMemory {
  globalForLimiter.assayBadTokenLimiter ??= new RateLimiterMemory({
    keyPrefix: "invite-bad-token",
    points: BAD_TOKEN_LIMIT.attempts,
    duration: BAD_TOKEN_LIMIT.perSeconds,
  });
  return globalForLimiter.assayBadTokenLimiter;
}

const seconds = (ms: number) => Math.max(1, Math.ceil(ms / 1000));

/** Read-only: may this client have another token looked up? Call it before the lookup. */
export async function checkBadTokenBudget(clientKey: string): Promise<TRateDecision> {
  const res = await limiter().get(clientKey);
  if (res && res.consumedPoints >= BAD_TOKEN_LIMIT.attempts) return { allowed: false, retryAfterSeconds: seconds(res.msBeforeNext) };
  return { allowed: true, retryAfterSeconds: 0 };
}

/** Counts one unknown token against the client; refused past the 20th in the window. */
export async function consumeBadTokenAttempt(clientKey: string): Promise<TRateDecision> {
  try {
    await limiter().consume(clientKey);
    return { allowed: true, retryAfterSeconds: 0 };
  } catch (e) {
    if (e instanceof RateLimiterRes) return { allowed: false, retryAfterSeconds: seconds(e.msBeforeNext) };
    throw e;
  }
}

/**
 * The key a client is counted under: its IP address (an IPv6 client by its /64, which one
 * customer usually holds whole) when TRUST_PROXY says how many reverse proxies append to
 * X-Forwarded-For; otherwise SHARED_CLIENT_KEY.
 *
 * With N trusted proxies the client's address is the Nth entry from the right: entries further
 * left were written by the client itself and can be anything.
 */
export function clientIp(headers: { get(name: string): string | null }, trustProxy: number = getEnv().TRUST_PROXY): string {
  if (trustProxy > 0) {
    const hops = (headers.get("x-forwarded-for") ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter(Boolean);
    const candidate = hops.length >= trustProxy ? hops[hops.length - trustProxy] : hops[0];
    const key = candidate ? normaliseIp(candidate) : null;
    if (key) return key;
  }
  warnSharedKeyOnce();
  return SHARED_CLIENT_KEY;
}

function warnSharedKeyOnce() {
  if (globalForLimiter.assaySharedKeyWarned || getEnv().ASSAY_ENV !== "production") return;
  globalForLimiter.assaySharedKeyWarned = true;
  log.warn("invite.rate_limit.shared", { hint: "set TRUST_PROXY to the number of reverse proxies in front of Assay, so invite-link guessing is limited per client" });
}

/** "203.0.113.7" → itself; "2001:db8:1:2:3:4:5:6" → "2001:db8:1:2::/64"; anything else → null. */
export function normaliseIp(raw: string): string | null {
  let ip = raw.trim();
  // "[2001:db8::1]:443" or "203.0.113.7:443" from proxies that append the port.
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(ip);
  if (bracketed) ip = bracketed[1]!;
  else if (/^\d{1,3}(?:\.\d{1,3}){3}:\d+$/.test(ip)) ip = ip.slice(0, ip.lastIndexOf(":"));
  ip = ip.replace(/%.*$/, ""); // zone id
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(ip);
  if (mapped) ip = mapped[1]!;
  const family = isIP(ip);
  if (family === 4) return ip;
  if (family !== 6) return null;
  const groups = expandIpv6(ip);
  return `${groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

function expandIpv6(ip: string): string[] {
  // An embedded IPv4 tail (::1.2.3.4) becomes two groups.
  const v4 = /(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(ip);
  if (v4) {
    const [a, b, c, d] = v4.slice(1).map(Number) as [number, number, number, number];
    ip = `${ip.slice(0, v4.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail] = ip.split("::") as [string, string | undefined];
  const left = head ? head.split(":") : [];
  const right = tail !== undefined && tail !== "" ? tail.split(":") : [];
  const zeros = tail === undefined ? [] : Array(8 - left.length - right.length).fill("0");
  return [...left, ...zeros, ...right].map((g) => g.toLowerCase());
}
