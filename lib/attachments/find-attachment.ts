import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { AppError, isAppError } from "@/lib/errors";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { isVisibleTo, requireAttachmentAccess } from "./access";
import { ZAttachmentId } from "./schemas";
import { targetIndex } from "./targets";
import { selectAttachment, type TAttachmentRow } from "./views";

export const ATTACHMENT_NOT_FOUND = () => new AppError("NOT_FOUND", "This file does not exist or you have no access to it.");

/**
 * One attachment, if `actor` may `need` it. Not a member, another audit's invite, a file outside
 * the invite's sections, an id that does not exist: all the same NOT_FOUND, with the same
 * message, so nobody learns that a file exists.
 */
export async function findAttachment({ actor, attachmentId, need }: { actor: TActor; attachmentId: string; need: "view" | "edit" }): Promise<{ row: TAttachmentRow; canEdit: boolean }> {
  if (!ZAttachmentId.safeParse(attachmentId).success) throw ATTACHMENT_NOT_FOUND();
  const row = await getDb().attachment.findUnique({ where: { id: attachmentId }, select: { ...selectAttachment, audit: { select: { questionnaireVersionId: true } } } });
  if (!row) throw ATTACHMENT_NOT_FOUND();
  let canEdit: boolean;
  try {
    ({ canEdit } = await requireAttachmentAccess(actor, row.auditId, actor.kind === "user" ? "view" : need));
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") throw ATTACHMENT_NOT_FOUND();
    throw e;
  }
  if (actor.kind === "invite") {
    const { definition } = await getQuestionnaireVersion(row.audit.questionnaireVersionId);
    if (!isVisibleTo(actor, row, targetIndex(definition))) throw ATTACHMENT_NOT_FOUND();
  }
  // An officer who may view but not edit sees the file and is told why they cannot change it.
  if (actor.kind === "user" && need === "edit") await requireAttachmentAccess(actor, row.auditId, "edit");
  return { row, canEdit };
}
