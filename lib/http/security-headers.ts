// The headers Assay sends, in one place: next.config.ts gives them to Next, and the autosave
// fast path (lib/server/serve-autosave.ts), which answers before Next, sends the same.
// No imports: next.config.ts loads this file on its own.

export type THeaderList = { key: string; value: string }[];

/**
 * Sent with every response. Scripts stay 'self' + inline (Next's bootstrap); no third-party
 * origin is allowed anywhere: Assay loads nothing from outside. `dev`: Next's dev server also
 * needs 'unsafe-eval'.
 */
export function securityHeaders(dev: boolean): THeaderList {
  return [
    {
      key: "Content-Security-Policy",
      value: [
        "default-src 'self'",
        `script-src 'self' 'unsafe-inline'${dev ? " 'unsafe-eval'" : ""}`,
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self'",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
      ].join("; "),
    },
    { key: "X-Frame-Options", value: "DENY" },
    { key: "X-Content-Type-Options", value: "nosniff" },
    { key: "Referrer-Policy", value: "same-origin" },
    { key: "Permissions-Policy", value: "camera=(), microphone=(), geolocation=(), payment=()" },
    { key: "Cross-Origin-Opener-Policy", value: "same-origin" },
  ];
}

/**
 * Pages and APIs behind an invite link or a package share link: the token is in the URL, so it
 * must never leave in a Referer, be cached or be indexed.
 */
export const inviteLinkHeaders: THeaderList = [
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cache-Control", value: "no-store" },
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
];

/**
 * Evidence downloads are sent as attachments; should a browser render one anyway, it runs
 * nothing and loads nothing.
 */
export const attachmentDownloadHeaders: THeaderList = [{ key: "Content-Security-Policy", value: "default-src 'none'; sandbox" }];

/** Lists applied in order, a later value of the same header replacing an earlier one (as Next does). */
export function mergeHeaders(...lists: THeaderList[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const { key, value } of lists.flat()) {
    for (const existing of Object.keys(out)) if (existing.toLowerCase() === key.toLowerCase()) delete out[existing];
    out[key] = value;
  }
  return out;
}
