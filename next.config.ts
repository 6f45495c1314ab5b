import type { NextConfig } from "next";
import { attachmentDownloadHeaders, inviteLinkHeaders, securityHeaders } from "./lib/http/security-headers";

const isDev = process.env.NODE_ENV === "development";

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
      { source: "/:path*", headers: securityHeaders(isDev) },
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
