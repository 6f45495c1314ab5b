import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { verifyUploadedPackage } from "@/lib/evidence/verify-uploaded-package";
import { jsonError, jsonOk } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

/**
 * A signed-in user uploads an evidence package (multipart, field `file`) and learns whether it
 * is valid, and what it is to this Assay. The session is checked before a byte is read.
 */
export async function POST(req: NextRequest) {
  try {
    const user = await requireUser(req);
    return jsonOk(await verifyUploadedPackage({ user, request: req }));
  } catch (e) {
    return jsonError(e, "POST /api/verify");
  }
}
