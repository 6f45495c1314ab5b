import "server-only";
import { authorColumns, type TActor } from "@/lib/auth/actor";
import { AppError } from "@/lib/errors";
import { ATTACHMENT_NOT_FOUND, findAttachment } from "./find-attachment";
import { recordAuditEventSql, requireInviteStillActive, touchOpenAudit, withAttachmentTransaction } from "./sql";
import { getAttachmentStore } from "./storage";
import { isUploader } from "./views";

/**
 * Its uploader removes a file: the officer who uploaded it (still with edit access), or the
 * invite it came through while that is active (not submitted, expired or revoked). The bytes,
 * the row and the "attachment.removed" event go in one transaction.
 */
export async function deleteAttachment({ actor, attachmentId }: { actor: TActor; attachmentId: string }): Promise<{ id: string }> {
  const { row } = await findAttachment({ actor, attachmentId, need: "edit" });
  if (!isUploader(actor, row)) throw new AppError("FORBIDDEN", "Only the person who uploaded a file can remove it.");
  const author = authorColumns(actor);

  await withAttachmentTransaction(async (tx) => {
    if (actor.kind === "invite") await requireInviteStillActive(tx, actor.invite.id);
    await getAttachmentStore().delete(tx, row.id);
    const { rowCount } = await tx.query(`DELETE FROM attachment WHERE id = $1`, [row.id]);
    if (rowCount === 0) throw ATTACHMENT_NOT_FOUND(); // removed by a concurrent request
    await touchOpenAudit(tx, row.auditId);
    await recordAuditEventSql(tx, {
      auditId: row.auditId,
      actorId: author.userId,
      inviteId: author.inviteId,
      action: "attachment.removed",
      subject: row.questionId ?? row.evidenceItemId ?? undefined,
      data: { attachmentId: row.id, fileName: row.fileName, size: Number(row.size), sha256: row.sha256, questionId: row.questionId, evidenceItemId: row.evidenceItemId },
    });
  });
  return { id: row.id };
}
