import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InviteExpired } from "@/components/invites/invite-expired";
import { InviteRevoked } from "@/components/invites/invite-revoked";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { QuestionnaireWorkspace } from "@/components/questionnaire/questionnaire-workspace";
import { getRespondentView } from "@/lib/invites/get-respondent-view";
import { loadInvitePageState } from "@/lib/invites/invite-page-state";

export const metadata: Metadata = { title: "Your questionnaire", referrer: "no-referrer" };

export default async function RespondentSection({ params }: { params: Promise<{ token: string; sectionId: string }> }) {
  const { token, sectionId } = await params;
  const page = await loadInvitePageState(token);
  if (page.state === "revoked") return <InviteRevoked />;
  if (page.state === "expired") return <InviteExpired expiresAt={page.expiresAt} invitedBy={page.invitedBy} />;
  const view = await getRespondentView(page.invite);
  const section = view.questionnaire.sections.find((s) => s.id === sectionId);
  if (!section) notFound();

  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ href: `/r/${token}`, label: view.providerName }, { label: section.title }]} />
      <QuestionnaireWorkspace
        key={sectionId}
        questionnaire={view.questionnaire}
        scope={view.scope}
        answers={view.answers}
        sectionId={sectionId}
        canEdit={page.state === "active"}
        basePath={`/r/${token}`}
        saveBase={`/api/r/${token}/answers`}
        storageKey={`assay:unsaved:${page.invite.auditId}:invite:${page.invite.id}`}
        withNotes={false}
        readOnlyMessage="You submitted these answers; they are read-only until the auditor reopens them."
      />
    </div>
  );
}
