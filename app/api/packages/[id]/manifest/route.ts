import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { getPackageManifest, packageManifestHeaders } from "@/lib/evidence/get-package-manifest";
import { jsonError } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** The package's manifest.json (its machine-readable twin), as a download. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    const manifest = await getPackageManifest({ reader: { kind: "user", user }, packageId: id });
    return new Response(manifest.json, { headers: packageManifestHeaders(manifest) });
  } catch (e) {
    return jsonError(e, "GET /api/packages/:id/manifest");
  }
}
