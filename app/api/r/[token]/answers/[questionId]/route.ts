import { answerBody } from "@/lib/answers/answer-body";
import { forProvider, saveAnswer } from "@/lib/answers/save-answer";
import type { TSaveAnswerInput } from "@/lib/answers/schemas";
import { inviteActor } from "@/lib/auth/actor";
import { jsonError, jsonOk, readJson } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";
import { requireInvite } from "@/lib/invites/require-invite";

export const runtime = "nodejs";

const PRIVATE = { "Referrer-Policy": "no-referrer" };

/** A provider saves one answer through their invite link (autosave). */
export async function PUT(req: Request, ctx: { params: Promise<{ token: string; questionId: string }> }) {
  try {
    const { token, questionId } = await ctx.params;
    const invite = await requireInvite({ token, need: "answer", clientKey: clientIp(req.headers) });
    const { value, baseRevision } = answerBody(await readJson(req));
    const saved = await saveAnswer({ actor: inviteActor(invite), input: { auditId: invite.auditId, questionId, value, note: null, baseRevision } as TSaveAnswerInput });
    return jsonOk(forProvider(saved), { headers: PRIVATE });
  } catch (e) {
    return jsonError(e, "PUT /api/r/:token/answers/:questionId", PRIVATE);
  }
}
