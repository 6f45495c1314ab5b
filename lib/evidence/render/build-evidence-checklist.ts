import { computeEvidenceStatus } from "@/lib/attachments/evidence-status";
import type { TAttachmentView } from "@/lib/attachments/types";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import type { TPackageAttachment, TPackageChecklistItem } from "./package-data";

/**
 * The package's evidence checklist, decided by the app's own rules (lib/attachments/
 * evidence-status.ts: a file counts for an item when attached to it or to a question asking for
 * it; the status follows certificate expiry on `today`). Pure; for the code that assembles
 * TEvidencePackageData.
 */
export function buildEvidenceChecklist({
  definition,
  attachments,
  today,
}: {
  definition: Pick<TQuestionnaire, "sections" | "evidence">;
  attachments: readonly Omit<TPackageAttachment, "open">[];
  /** YYYY-MM-DD (UTC). */
  today: string;
}): TPackageChecklistItem[] {
  const views: TAttachmentView[] = attachments.map((a) => ({
    id: a.id,
    questionId: a.questionId,
    evidenceItemId: a.evidenceItemId,
    fileName: a.fileName,
    contentType: a.mediaType,
    size: a.size,
    sha256: a.sha256,
    createdAt: a.uploadedAt,
    uploadedBy: a.uploadedBy,
    uploadedByProvider: false,
    certificate: a.certificate ? { issuer: a.certificate.issuer, scope: a.certificate.scope, expiresOn: a.certificate.expiresAt } : null,
    canDelete: false,
  }));
  return computeEvidenceStatus({ definition, attachments: views, today }).items.map((item) => ({
    id: item.id,
    status: item.status,
    attachmentIds: item.attachments.map((a) => a.id),
  }));
}
