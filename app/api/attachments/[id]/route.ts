import { deleteAttachment } from "@/lib/attachments/delete-attachment";
import { getAttachmentDownload } from "@/lib/attachments/get-attachment-download";
import { attachmentDownloadResponse, attachmentErrorResponse } from "@/lib/attachments/http";
import { userActor } from "@/lib/auth/actor";
import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { jsonOk } from "@/lib/http/json-route";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ id: string }> };

/** Downloads an attachment: members of its audit (view access); anyone else gets 404. */
export async function GET(req: NextRequest, ctx: TContext) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    const { attachment, stream } = await getAttachmentDownload({ actor: userActor(user), attachmentId: id });
    return attachmentDownloadResponse(attachment, stream);
  } catch (e) {
    return attachmentErrorResponse(e, "GET /api/attachments/:id");
  }
}

/** Its uploader (an officer who still has edit access) removes an attachment. */
export async function DELETE(req: NextRequest, ctx: TContext) {
  try {
    const { id } = await ctx.params;
    const user = await requireUser(req);
    return jsonOk(await deleteAttachment({ actor: userActor(user), attachmentId: id }));
  } catch (e) {
    return attachmentErrorResponse(e, "DELETE /api/attachments/:id");
  }
}
