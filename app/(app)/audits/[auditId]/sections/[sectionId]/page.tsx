import type { Metadata } from "next";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { notFound } from "next/navigation";
import { AuditWorkspace } from "@/components/audits/audit-workspace";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { loadAuditPage } from "@/lib/audits/load-audit-page";

export const metadata: Metadata = { title: "Audit section" };

export default async function AuditSectionPage({ params }: { params: Promise<{ auditId: string; sectionId: string }> }) {
  const { auditId, sectionId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}/sections/${sectionId}`);
  const { audit, questionnaire, answers, access } = await loadAuditPage(user, auditId);
  if (!questionnaire.definition.sections.some((s) => s.id === sectionId)) notFound();

  return (
    <div className="space-y-4">
      <Breadcrumbs
        items={[
          { href: "/audits", label: "Audits" },
          { href: `/audits/${audit.id}`, label: audit.providerName },
          { label: questionnaire.definition.sections.find((s) => s.id === sectionId)!.title },
        ]}
      />
      <AuditWorkspace
        // A new section starts from what the server has now.
        key={sectionId}
        auditId={audit.id}
        questionnaire={questionnaire.definition}
        scope={audit.scope}
        answers={answers}
        sectionId={sectionId}
        canEdit={access.can.edit}
      />
    </div>
  );
}
