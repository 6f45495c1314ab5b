import "server-only";
import type { TActor } from "@/lib/auth/actor";
import type { TAttachmentView } from "./types";

/** The columns toAttachmentView reads; use as Prisma `select`. */
export const selectAttachment = {
  id: true,
  auditId: true,
  questionId: true,
  evidenceItemId: true,
  fileName: true,
  contentType: true,
  size: true,
  sha256: true,
  createdAt: true,
  uploadedById: true,
  uploadedByInviteId: true,
  certificateIssuer: true,
  certificateScope: true,
  certificateExpiresOn: true,
  uploadedBy: { select: { name: true, email: true } },
  uploadedByInvite: { select: { name: true } },
} as const;

export interface TAttachmentRow {
  id: string;
  auditId: string;
  questionId: string | null;
  evidenceItemId: string | null;
  fileName: string;
  contentType: string;
  size: bigint | number;
  sha256: string;
  createdAt: Date;
  uploadedById: string | null;
  uploadedByInviteId: string | null;
  certificateIssuer: string | null;
  certificateScope: string | null;
  certificateExpiresOn: Date | null;
  uploadedBy: { name: string | null; email: string | null } | null;
  uploadedByInvite: { name: string } | null;
}

/**
 * Only the uploader removes a file: the officer who uploaded it (while they may still edit the
 * audit — checked by the caller), or the same invite while it is active.
 */
export function isUploader(actor: TActor, row: Pick<TAttachmentRow, "uploadedById" | "uploadedByInviteId">): boolean {
  return actor.kind === "user" ? row.uploadedById === actor.user.id : row.uploadedByInviteId === actor.invite.id;
}

export function toAttachmentView(row: TAttachmentRow, canDelete: boolean): TAttachmentView {
  const expiresOn = row.certificateExpiresOn ? row.certificateExpiresOn.toISOString().slice(0, 10) : null;
  const hasCertificate = row.certificateIssuer !== null || row.certificateScope !== null || expiresOn !== null;
  return {
    id: row.id,
    questionId: row.questionId,
    evidenceItemId: row.evidenceItemId,
    fileName: row.fileName,
    contentType: row.contentType,
    size: Number(row.size),
    sha256: row.sha256,
    createdAt: row.createdAt.toISOString(),
    uploadedBy: row.uploadedBy ? (row.uploadedBy.name ?? row.uploadedBy.email) : (row.uploadedByInvite?.name ?? null),
    uploadedByProvider: row.uploadedByInviteId !== null,
    certificate: hasCertificate ? { issuer: row.certificateIssuer, scope: row.certificateScope, expiresOn } : null,
    canDelete,
  };
}
