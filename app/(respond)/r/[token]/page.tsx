import type { Metadata } from "next";
import { SectionNav } from "@/components/audits/section-nav";
import { InviteExpired } from "@/components/invites/invite-expired";
import { InviteRevoked } from "@/components/invites/invite-revoked";
import { ProviderClarifications } from "@/components/clarifications/provider-clarifications";
import { SubmitAnswers } from "@/components/respond/submit-answers";
import { SignedOffBanner } from "@/components/review/signed-off-banner";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import Link from "next/link";
import { formatDateTime } from "@/lib/format";
import { listProviderClarifications } from "@/lib/clarifications/list-provider-clarifications";
import { getRespondentView, missingRequired } from "@/lib/invites/get-respondent-view";
import { loadInvitePageState } from "@/lib/invites/invite-page-state";
import { percent } from "@/lib/questionnaires/progress";

export const metadata: Metadata = { title: "Your questionnaire", referrer: "no-referrer" };

export default async function RespondentHome({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const page = await loadInvitePageState(token);
  if (page.state === "revoked") return <InviteRevoked />;
  if (page.state === "expired") return <InviteExpired expiresAt={page.expiresAt} invitedBy={page.invitedBy} />;
  const { invite } = page;
  const [view, clarifications] = await Promise.all([getRespondentView(invite), listProviderClarifications({ invite })]);
  const basePath = `/r/${token}`;
  const sections = view.questionnaire.sections.map((s) => ({ id: s.id, title: s.title, optional: false, progress: view.progress.sections[s.id]! }));
  const pct = percent(view.progress.overall);
  const firstOpen = sections.find((s) => s.progress.requiredAnswered < s.progress.required) ?? sections[0]!;
  const inviter = invite.invitedBy.name ?? invite.invitedBy.email ?? "the auditor";

  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">
          {view.title}: {view.providerName}
        </h1>
        <p className="text-muted-foreground">
          Hello {invite.name}. {inviter} asked you to answer {invite.sections.length ? "these sections of " : ""}this questionnaire about{" "}
          {view.providerName}.{" "}
          {view.signedOff || page.state === "submitted" ? (
            <>You can read your answers with this link until {formatDateTime(invite.expiresAt)}.</>
          ) : (
            <>Your answers are saved as you type; you can close this page and come back with the same link until {formatDateTime(invite.expiresAt)}.</>
          )}
        </p>
      </div>

      {view.signedOff && <SignedOffBanner forProvider />}

      {page.state === "submitted" && !view.signedOff && (
        <Alert tone="success">
          You submitted your answers{invite.submittedAt ? ` on ${formatDateTime(invite.submittedAt)}` : ""}. They are read-only now; {inviter} can
          reopen them if something needs to change.
        </Alert>
      )}

      {clarifications.length > 0 && (
        <Card>
          <CardHeader>
            <CardTitle>Questions from {inviter}</CardTitle>
          </CardHeader>
          <CardContent>
            <ProviderClarifications token={token} clarifications={clarifications} canReply={!view.signedOff} basePath={basePath} />
          </CardContent>
        </Card>
      )}

      <div className="grid gap-6 lg:grid-cols-[1fr_22rem]">
        <Card>
          <CardHeader>
            <CardTitle>Sections</CardTitle>
          </CardHeader>
          <CardContent className="space-y-4">
            <div className="flex items-center gap-3">
              <Progress value={pct} label="Required questions answered" />
              <span className="w-44 text-right text-sm tabular-nums" data-testid="overall-progress">
                {view.progress.overall.requiredAnswered} of {view.progress.overall.required} required
              </span>
            </div>
            <SectionNav basePath={basePath} sections={sections} />
            <Button asChild>
              <Link href={`${basePath}/sections/${firstOpen.id}`}>{page.state === "submitted" || view.signedOff ? "Read your answers" : pct === 0 ? "Start" : "Continue"}</Link>
            </Button>
          </CardContent>
        </Card>
        {page.state === "active" && !view.signedOff && (
          <Card>
            <CardHeader>
              <CardTitle>Submit</CardTitle>
            </CardHeader>
            <CardContent>
              <SubmitAnswers token={token} missing={missingRequired(view)} />
            </CardContent>
          </Card>
        )}
      </div>
    </div>
  );
}
