import type { NextRequest } from "next/server";
import { openPackageDownload, packageDownloadHeaders } from "@/lib/evidence/open-package-download";
import { requirePackageShare } from "@/lib/evidence/shares/require-package-share";
import { jsonError } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// The token is in the address: no Referer leaves with it, nothing caches or indexes it
// (next.config.ts sends the same for /api/p/*; set here too so that no response lacks them).
const LINK_HEADERS = { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store" };

/** The signed PDF through a share link, without an account; each download is recorded with the link. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ token: string }> }) {
  try {
    const { token } = await ctx.params;
    const share = await requirePackageShare({ token, clientKey: clientIp(req.headers) });
    const download = await openPackageDownload({ reader: { kind: "share", shareId: share.id, label: share.label }, packageId: share.packageId });
    return new Response(download.stream, { status: 200, headers: { ...packageDownloadHeaders(download), ...LINK_HEADERS } });
  } catch (e) {
    return jsonError(e, "GET /api/p/:token/download", LINK_HEADERS);
  }
}
