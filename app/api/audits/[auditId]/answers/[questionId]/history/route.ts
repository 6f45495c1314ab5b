import { listAnswerHistory } from "@/lib/answers/list-answer-history";
import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { jsonError, jsonOk } from "@/lib/http/json-route";

export const runtime = "nodejs";

/** Every revision of one answer, for the audit's members. */
export async function GET(req: NextRequest, ctx: { params: Promise<{ auditId: string; questionId: string }> }) {
  try {
    const { auditId, questionId } = await ctx.params;
    const user = await requireUser(req);
    return jsonOk(await listAnswerHistory({ user, auditId, questionId }));
  } catch (e) {
    return jsonError(e, "GET /api/audits/:auditId/answers/:questionId/history");
  }
}
