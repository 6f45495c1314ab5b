import type { NextRequest } from "next/server";
import { getPackageManifest, packageManifestHeaders } from "@/lib/evidence/get-package-manifest";
import { requirePackageShare } from "@/lib/evidence/shares/require-package-share";
import { jsonError } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

const LINK_HEADERS = { "Referrer-Policy": "no-referrer", "X-Robots-Tag": "noindex, nofollow", "Cache-Control": "no-store" };

/** The package's manifest.json through a share link: byte for byte the one embedded in the PDF. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ token: string }> }) {
  try {
    const { token } = await ctx.params;
    const share = await requirePackageShare({ token, clientKey: clientIp(req.headers) });
    const manifest = await getPackageManifest({ reader: { kind: "share", shareId: share.id, label: share.label }, packageId: share.packageId });
    return new Response(manifest.json, { headers: { ...packageManifestHeaders(manifest), ...LINK_HEADERS } });
  } catch (e) {
    return jsonError(e, "GET /api/p/:token/manifest", LINK_HEADERS);
  }
}
