import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { isVisibleTo, requireAttachmentAccess } from "./access";
import { targetIndex } from "./targets";
import type { TAttachmentView } from "./types";
import { isUploader, selectAttachment, toAttachmentView } from "./views";

/**
 * The attachments of an audit that `actor` may see, oldest first, optionally of one question
 * or evidence item. Officers and reviewers see all; a provider what its link reaches.
 */
export async function listAttachments({
  actor,
  auditId,
  filter = {},
}: {
  actor: TActor;
  auditId: string;
  filter?: { questionId?: string; evidenceItemId?: string };
}): Promise<TAttachmentView[]> {
  const { canEdit } = await requireAttachmentAccess(actor, auditId, "view");
  const db = getDb();
  const rows = await db.attachment.findMany({
    where: { auditId, ...(filter.questionId ? { questionId: filter.questionId } : {}), ...(filter.evidenceItemId ? { evidenceItemId: filter.evidenceItemId } : {}) },
    select: selectAttachment,
    orderBy: [{ createdAt: "asc" }, { id: "asc" }],
  });
  let visible = rows;
  if (actor.kind === "invite") {
    const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true } });
    const index = targetIndex((await getQuestionnaireVersion(audit.questionnaireVersionId)).definition);
    visible = rows.filter((r) => isVisibleTo(actor, r, index));
  }
  return visible.map((r) => toAttachmentView(r, canEdit && isUploader(actor, r)));
}
