import type { NextRequest } from "next/server";
import { contentDisposition, sanitizeFileName } from "@/lib/attachments/file-name";
import { requireUser } from "@/lib/auth/current-user";
import { getPackageManifest } from "@/lib/evidence/get-package-manifest";
import { jsonError } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The package's manifest.json (its machine-readable twin), as a download. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    const manifest = await getPackageManifest({ reader: { kind: "user", user }, packageId: id });
    return new Response(manifest.json, {
      headers: {
        "Content-Type": "application/json; charset=utf-8",
        "Content-Disposition": contentDisposition(sanitizeFileName(manifest.fileName).name),
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "private, no-store",
      },
    });
  } catch (e) {
    return jsonError(e, "GET /api/packages/:id/manifest");
  }
}
