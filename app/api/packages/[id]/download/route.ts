import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { openPackageDownload, packageDownloadHeaders } from "@/lib/evidence/open-package-download";
import { jsonError } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The signed PDF of a ready package, for anyone who may view its audit; recorded in the trail. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    const download = await openPackageDownload({ reader: { kind: "user", user }, packageId: id });
    return new Response(download.stream, { status: 200, headers: packageDownloadHeaders(download) });
  } catch (e) {
    return jsonError(e, "GET /api/packages/:id/download");
  }
}
