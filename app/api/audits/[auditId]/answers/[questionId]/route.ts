import { answerBody } from "@/lib/answers/answer-body";
import { saveAnswer } from "@/lib/answers/save-answer";
import type { TSaveAnswerInput } from "@/lib/answers/schemas";
import { userActor } from "@/lib/auth/actor";
import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { jsonError, jsonOk, readJson } from "@/lib/http/json-route";

export const runtime = "nodejs";

/** An officer saves one answer and its interview note (autosave). */
export async function PUT(req: NextRequest, ctx: { params: Promise<{ auditId: string; questionId: string }> }) {
  try {
    const { auditId, questionId } = await ctx.params;
    const user = await requireUser(req);
    const body = answerBody(await readJson(req));
    const saved = await saveAnswer({ actor: userActor(user), input: { auditId, questionId, ...body } as TSaveAnswerInput });
    return jsonOk(saved);
  } catch (e) {
    return jsonError(e, "PUT /api/audits/:auditId/answers/:questionId");
  }
}
