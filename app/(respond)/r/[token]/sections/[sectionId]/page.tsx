import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { InviteExpired } from "@/components/invites/invite-expired";
import { InviteRevoked } from "@/components/invites/invite-revoked";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { SignedOffBanner } from "@/components/review/signed-off-banner";
import { QuestionnaireWorkspace } from "@/components/questionnaire/questionnaire-workspace";
import { attachmentLimits } from "@/lib/attachments/add-attachment";
import { listAttachments } from "@/lib/attachments/list-attachments";
import type { TAttachmentView } from "@/lib/attachments/types";
import { inviteActor } from "@/lib/auth/actor";
import { getRespondentView } from "@/lib/invites/get-respondent-view";
import { loadInvitePageState } from "@/lib/invites/invite-page-state";

export const metadata: Metadata = { title: "Your questionnaire", referrer: "no-referrer" };

export default async function RespondentSection({ params }: { params: Promise<{ token: string; sectionId: string }> }) {
  const { token, sectionId } = await params;
  const page = await loadInvitePageState(token);
  if (page.state === "revoked") return <InviteRevoked />;
  if (page.state === "expired") return <InviteExpired expiresAt={page.expiresAt} invitedBy={page.invitedBy} />;
  const [view, files] = await Promise.all([
    getRespondentView(page.invite),
    listAttachments({ actor: inviteActor(page.invite), auditId: page.invite.auditId }),
  ]);
  const byQuestion: Record<string, TAttachmentView[]> = {};
  for (const f of files) if (f.questionId) (byQuestion[f.questionId] ??= []).push(f);
  const section = view.questionnaire.sections.find((s) => s.id === sectionId);
  if (!section) notFound();
  // Answers and files change only through an active link, and only while the audit is not signed off.
  const canAnswer = page.state === "active" && !view.signedOff;

  return (
    <div className="space-y-4">
      <Breadcrumbs items={[{ href: `/r/${token}`, label: view.providerName }, { label: section.title }]} />
      {view.signedOff && <SignedOffBanner forProvider />}
      <QuestionnaireWorkspace
        key={sectionId}
        questionnaire={view.questionnaire}
        scope={view.scope}
        answers={view.answers}
        sectionId={sectionId}
        canEdit={canAnswer}
        basePath={`/r/${token}`}
        saveBase={`/api/r/${token}/answers`}
        storageKey={`assay:unsaved:${page.invite.auditId}:invite:${page.invite.id}`}
        withNotes={false}
        attachments={{
          uploadUrl: `/api/r/${token}/attachments`,
          fileBaseUrl: `/api/r/${token}/attachments`,
          byQuestion,
          canUpload: canAnswer,
          maxFileBytes: attachmentLimits().maxFileBytes,
        }}
        readOnlyMessage={view.signedOff ? undefined : "You submitted these answers; they are read-only until the auditor reopens them."}
      />
    </div>
  );
}
