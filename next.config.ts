import type { NextConfig } from "next";

const isDev = process.env.NODE_ENV === "development";

// Sent with every response. Scripts stay 'self' + inline (Next's bootstrap); no third-party
// origin is allowed anywhere: Assay loads nothing from outside.
const securityHeaders = [
  {
    key: "Content-Security-Policy",
    value: [
      "default-src 'self'",
      `script-src 'self' 'unsafe-inline'${isDev ? " 'unsafe-eval'" : ""}`,
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

// Pages and APIs behind an invite link or a package share link: the token is in the URL, so it
// must never leave in a Referer, be cached or be indexed.
const inviteLinkHeaders = [
  { key: "Referrer-Policy", value: "no-referrer" },
  { key: "Cache-Control", value: "no-store" },
  { key: "X-Robots-Tag", value: "noindex, nofollow" },
];

// Evidence downloads are sent as attachments; should a browser render one anyway, it runs
// nothing and loads nothing.
const attachmentDownloadHeaders = [{ key: "Content-Security-Policy", value: "default-src 'none'; sandbox" }];

const nextConfig: NextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // `npm test` type-checks the whole project (tsc --noEmit); doing it again inside every
  // `next build` that `npm start` runs would only make the first start slower.
  typescript: { ignoreBuildErrors: true },
  // Loaded from node_modules at run time, not bundled: pdfkit and fontkit read their data files
  // next to their own code; pg-boss is ESM that spawns its own timers and connections.
  serverExternalPackages: ["pdfkit", "fontkit", "@signpdf/placeholder-pdfkit", "@signpdf/utils", "pg-boss", "pkijs", "asn1js", "node-forge"],
  async headers() {
    // The last match wins: the link entries override the general Referrer-Policy.
    return [
      { source: "/:path*", headers: securityHeaders },
      { source: "/r/:path*", headers: inviteLinkHeaders },
      { source: "/api/r/:path*", headers: inviteLinkHeaders },
      { source: "/p/:path*", headers: inviteLinkHeaders },
      { source: "/api/p/:path*", headers: inviteLinkHeaders },
      { source: "/api/attachments/:id", headers: attachmentDownloadHeaders },
      { source: "/api/r/:token/attachments/:id", headers: attachmentDownloadHeaders },
    ];
  },
};

export default nextConfig;
