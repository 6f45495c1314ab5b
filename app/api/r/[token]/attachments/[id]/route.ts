import { deleteAttachment } from "@/lib/attachments/delete-attachment";
import { getAttachmentDownload } from "@/lib/attachments/get-attachment-download";
import { attachmentDownloadResponse, attachmentErrorResponse } from "@/lib/attachments/http";
import { inviteActor } from "@/lib/auth/actor";
import { jsonOk } from "@/lib/http/json-route";
import { clientIp } from "@/lib/invites/rate-limit";
import { requireInvite } from "@/lib/invites/require-invite";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ token: string; id: string }> };

/** A provider downloads a file of its audit, uploaded by a provider to a question or item of its sections. */
export async function GET(req: Request, ctx: TContext) {
  try {
    const { token, id } = await ctx.params;
    const invite = await requireInvite({ token, need: "view", clientKey: clientIp(req.headers) });
    const { attachment, stream } = await getAttachmentDownload({ actor: inviteActor(invite), attachmentId: id });
    return attachmentDownloadResponse(attachment, stream);
  } catch (e) {
    return attachmentErrorResponse(e, "GET /api/r/:token/attachments/:id");
  }
}

/** The invite that uploaded a file removes it, while the link is active and not submitted. */
export async function DELETE(req: Request, ctx: TContext) {
  try {
    const { token, id } = await ctx.params;
    const invite = await requireInvite({ token, need: "answer", clientKey: clientIp(req.headers) });
    return jsonOk(await deleteAttachment({ actor: inviteActor(invite), attachmentId: id }));
  } catch (e) {
    return attachmentErrorResponse(e, "DELETE /api/r/:token/attachments/:id");
  }
}
