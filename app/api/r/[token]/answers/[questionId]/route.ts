import { saveAnswerThroughLink } from "@/lib/answers/save-answer-through-link";
import { jsonError, jsonOk, readJson } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";

export const runtime = "nodejs";

const PRIVATE = { "Referrer-Policy": "no-referrer" };

/**
 * A provider saves one answer through their invite link (autosave). Under `npm start` the
 * server in front of Next answers this request itself (lib/server/serve-autosave.ts, decision
 * 012); this route serves it under `next dev` and a plain `next start`.
 */
export async function PUT(req: Request, ctx: { params: Promise<{ token: string; questionId: string }> }) {
  try {
    const { token, questionId } = await ctx.params;
    const saved = await saveAnswerThroughLink({ token, questionId, clientKey: clientIp(req.headers), readBody: () => readJson(req) });
    return jsonOk(saved, { headers: PRIVATE });
  } catch (e) {
    return jsonError(e, "PUT /api/r/:token/answers/:questionId", PRIVATE);
  }
}
