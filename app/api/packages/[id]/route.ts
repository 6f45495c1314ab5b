import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { getPackage } from "@/lib/evidence/get-package";
import { jsonError, jsonOk } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/** A package's state and its job's progress (the page polls this while it is issued). */
export async function GET(req: NextRequest, ctx: { params: Promise<{ id: string }> }) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    return jsonOk(await getPackage({ user, packageId: id }));
  } catch (e) {
    return jsonError(e, "GET /api/packages/:id");
  }
}
