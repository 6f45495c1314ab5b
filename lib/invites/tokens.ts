import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

// Invite (and later share-link) tokens: 256 random bits, base64url in the link, stored only as
// their SHA-256. A leaked database therefore leaks no working link.

const TOKEN_BYTES = 32;
/** base64url of 32 bytes: 43 characters. Anything else is not a token and is refused unhashed. */
const TOKEN_SHAPE = /^[A-Za-z0-9_-]{43}$/;

export function generateToken(): { token: string; tokenHash: string } {
  const token = randomBytes(TOKEN_BYTES).toString("base64url");
  return { token, tokenHash: hashToken(token) };
}

export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function isTokenShaped(token: string): boolean {
  return TOKEN_SHAPE.test(token);
}

/**
 * Compares a presented token with a stored hash in constant time. The lookup by hash is an
 * index probe on a value the attacker cannot steer towards a stored one (it is a SHA-256), and
 * this comparison makes the final check independent of how many characters match.
 */
export function tokenMatches(token: string, storedHash: string): boolean {
  const a = Buffer.from(hashToken(token), "hex");
  const b = Buffer.from(storedHash, "hex");
  return a.length === b.length && timingSafeEqual(a, b);
}
