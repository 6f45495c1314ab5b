import "server-only";
import { EVIDENCE_MANIFEST_FORMAT } from "../manifest";
import type { TPackageView } from "./build-package-view";
import type { TEvidencePackageManifest } from "./manifest-types";

/** The manifest of a package: the same decisions as the PDF (one view feeds both). */
export function buildEvidenceManifest(view: TPackageView): TEvidencePackageManifest {
  const { data, counts } = view;
  const questions = view.questions;
  return {
    format: EVIDENCE_MANIFEST_FORMAT,
    package: { ...data.package, signer: { ...data.package.signer }, includesInternalNotes: view.includeInternalNotes },
    audit: { ...data.audit },
    questionnaire: {
      slug: data.questionnaire.slug,
      version: data.questionnaire.version,
      title: data.questionnaire.title,
      contentHash: data.questionnaire.contentHash,
    },
    scope: view.scope,
    summary: {
      questions: {
        visible: counts.progress.visible,
        answered: counts.progress.answered,
        required: counts.progress.required,
        requiredAnswered: counts.progress.requiredAnswered,
        skipped: counts.skipped,
      },
      ratings: counts.ratings,
      evidence: counts.evidence,
    },
    verdict: data.verdict,
    answers: questions.map((q) => ({
      questionId: q.question.id,
      number: q.number,
      sectionId: q.sectionId,
      parentId: q.parentId,
      status: q.status,
      skipReason: q.skipReason,
      required: q.required,
      value: q.value,
      display: q.display,
      updatedBy: q.answer?.updatedBy ?? null,
      updatedAt: q.answer?.updatedAt ?? null,
    })),
    ratings: questions.flatMap((q) => (q.rating ? [{ questionId: q.question.id, ...q.rating }] : [])),
    clarifications: questions.flatMap((q) => q.clarifications.map((t) => ({ questionId: q.question.id, ...t }))),
    checklist: view.checklist.map((c) => ({
      id: c.item.id,
      title: c.item.title,
      status: c.status,
      attachments: c.attachments.map((a) => a.embeddedName),
    })),
    attachments: view.attachments.map(({ attachment: a, label, embeddedName }) => ({
      embeddedName,
      fileName: a.fileName,
      sha256: a.sha256.toLowerCase(),
      size: a.size,
      mediaType: a.mediaType,
      id: a.id,
      label,
      uploadedBy: a.uploadedBy,
      uploadedAt: a.uploadedAt,
      questionId: a.questionId,
      evidenceItemId: a.evidenceItemId,
      certificate: a.certificate ? { ...a.certificate } : null,
    })),
    events: data.events.map((e) => ({ ...e })),
  };
}
