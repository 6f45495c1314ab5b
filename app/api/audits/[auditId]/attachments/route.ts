import { addAttachment } from "@/lib/attachments/add-attachment";
import { attachmentErrorResponse } from "@/lib/attachments/http";
import { listAttachments } from "@/lib/attachments/list-attachments";
import { parseListFilter } from "@/lib/attachments/list-filter";
import { userActor } from "@/lib/auth/actor";
import type { NextRequest } from "next/server";
import { requireUser } from "@/lib/auth/current-user";
import { jsonOk } from "@/lib/http/json-route";

// Route segment config cannot be re-exported: declared here, in every attachment route.
export const runtime = "nodejs";
export const dynamic = "force-dynamic";

type TContext = { params: Promise<{ auditId: string }> };

/** An officer (edit access) uploads one evidence file: multipart/form-data, fields first, then `file`. */
export async function POST(req: NextRequest, ctx: TContext) {
  try {
    const { auditId } = await ctx.params;
    const user = await requireUser(req);
    const attachment = await addAttachment({ actor: userActor(user), auditId, request: req });
    return jsonOk(attachment, { status: 201 });
  } catch (e) {
    return attachmentErrorResponse(e, "POST /api/audits/:auditId/attachments");
  }
}

/** The audit's attachments for members (view access), optionally of one question or evidence item. */
export async function GET(req: NextRequest, ctx: TContext) {
  try {
    const { auditId } = await ctx.params;
    const user = await requireUser(req);
    const filter = parseListFilter(req.url);
    return jsonOk(await listAttachments({ actor: userActor(user), auditId, filter }));
  } catch (e) {
    return attachmentErrorResponse(e, "GET /api/audits/:auditId/attachments");
  }
}
