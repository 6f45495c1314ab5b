import { addAttachment } from "@/lib/attachments/add-attachment";
import { attachmentErrorResponse } from "@/lib/attachments/http";
import { listAttachments } from "@/lib/attachments/list-attachments";
import { parseListFilter } from "@/lib/attachments/list-filter";
import { inviteActor } from "@/lib/auth/actor";
import { jsonOk } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";
import { requireInvite } from "@/lib/invites/require-invite";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ token: string }> };

/** A provider uploads one evidence file through an active invite link, to a question or item of its sections. */
export async function POST(req: Request, ctx: TContext) {
  try {
    const { token } = await ctx.params;
    const invite = await requireInvite({ token, need: "answer", clientKey: clientIp(req.headers) });
    const attachment = await addAttachment({ actor: inviteActor(invite), auditId: invite.auditId, request: req });
    return jsonOk(attachment, { status: 201 });
  } catch (e) {
    return attachmentErrorResponse(e, "POST /api/r/:token/attachments");
  }
}

/** The files providers uploaded to the link's sections (also after submitting, while the link is valid). */
export async function GET(req: Request, ctx: TContext) {
  try {
    const { token } = await ctx.params;
    const invite = await requireInvite({ token, need: "view", clientKey: clientIp(req.headers) });
    const filter = parseListFilter(req.url);
    return jsonOk(await listAttachments({ actor: inviteActor(invite), auditId: invite.auditId, filter }));
  } catch (e) {
    return attachmentErrorResponse(e, "GET /api/r/:token/attachments");
  }
}
