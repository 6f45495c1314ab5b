import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { notFound } from "next/navigation";
import { QuestionnaireWorkspace } from "@/components/questionnaire/questionnaire-workspace";
import { SignedOffBanner } from "@/components/review/signed-off-banner";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { attachmentLimits } from "@/lib/attachments/add-attachment";
import { getEvidenceStatus } from "@/lib/attachments/get-evidence-status";
import { loadAuditPage } from "@/lib/audits/load-audit-page";
import { listClarifications } from "@/lib/clarifications/list-clarifications";

export const metadata: Metadata = { title: "Audit section" };

export default async function AuditSectionPage({ params }: { params: Promise<{ auditId: string; sectionId: string }> }) {
  const { auditId, sectionId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}/sections/${sectionId}`);
  const { audit, questionnaire, answers, access } = await loadAuditPage(user, auditId);
  if (!questionnaire.definition.sections.some((s) => s.id === sectionId)) notFound();
  const evidence = await getEvidenceStatus({ user, auditId: audit.id });
  // A signed-off audit's answers, files and clarifications are read-only for everyone.
  const canAnswer = access.can.edit && !access.signedOff;
  const openCounts: Record<string, number> = {};
  if (canAnswer) {
    for (const t of await listClarifications({ user, auditId: audit.id })) {
      if (t.status !== "RESOLVED") openCounts[t.questionId] = (openCounts[t.questionId] ?? 0) + 1;
    }
  }

  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { href: "/audits", label: "Audits" },
          { href: `/audits/${audit.id}`, label: audit.providerName },
          { label: questionnaire.definition.sections.find((s) => s.id === sectionId)!.title },
        ]}
      />
      {access.signedOff && <SignedOffBanner signedOffAt={audit.signedOffAt} signedOffBy={audit.signedOffBy?.name ?? audit.signedOffBy?.email} />}
      <QuestionnaireWorkspace
        // A new section starts from what the server has now.
        key={sectionId}
        questionnaire={questionnaire.definition}
        scope={audit.scope}
        answers={answers}
        sectionId={sectionId}
        canEdit={canAnswer}
        basePath={`/audits/${audit.id}`}
        saveBase={`/api/audits/${audit.id}/answers`}
        storageKey={`assay:unsaved:${audit.id}:${user.id}`}
        withNotes
        readOnlyMessage={access.signedOff ? undefined : "You can read this audit; only its officers can change the answers."}
        historyBase={`/api/audits/${audit.id}/answers`}
        attachments={{
          uploadUrl: `/api/audits/${audit.id}/attachments`,
          fileBaseUrl: "/api/attachments",
          byQuestion: evidence.byQuestion,
          canUpload: canAnswer,
          maxFileBytes: attachmentLimits().maxFileBytes,
        }}
        clarify={canAnswer ? { auditId: audit.id, openCounts } : undefined}
      />
    </div>
  );
}
