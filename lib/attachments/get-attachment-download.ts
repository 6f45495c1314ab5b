import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { findAttachment } from "./find-attachment";
import { getAttachmentStore } from "./storage";
import type { TAttachmentView } from "./types";
import { isUploader, toAttachmentView } from "./views";

/**
 * An attachment and its bytes as a pull-based stream, for members of the audit (view access)
 * and for providers, whose link sees the files providers uploaded to their sections.
 */
export async function getAttachmentDownload({ actor, attachmentId }: { actor: TActor; attachmentId: string }): Promise<{
  attachment: TAttachmentView;
  stream: ReadableStream<Uint8Array>;
}> {
  const { row, canEdit } = await findAttachment({ actor, attachmentId, need: "view" });
  const attachment = toAttachmentView(row, canEdit && isUploader(actor, row));
  return { attachment, stream: getAttachmentStore().get(row.id, attachment.size) };
}
