import type { Metadata } from "next";
import { AuditStatus } from "@/components/audits/audit-status";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { AttentionList } from "@/components/review/attention-list";
import { ReopenForm } from "@/components/review/reopen-form";
import { ReviewSections } from "@/components/review/review-sections";
import { ReviewSummary } from "@/components/review/review-summary";
import { SignOffPanel } from "@/components/review/sign-off-panel";
import { SignedOffBanner } from "@/components/review/signed-off-banner";
import { VerdictForm, VerdictView } from "@/components/review/verdict-form";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { loadReviewPage } from "@/lib/review/load-review-page";

export const metadata: Metadata = { title: "Review" };

export default async function ReviewPage({ params }: { params: Promise<{ auditId: string }> }) {
  const { auditId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}/review`);
  const review = await loadReviewPage(user, auditId);
  const { audit, can } = review;
  const auditPath = `/audits/${audit.id}`;
  const signedOff = audit.status === "SIGNED_OFF";
  const sectionTitles = Object.fromEntries(review.sections.map((s) => [s.id, s.title]));

  return (
    <div className="space-y-8">
      <div className="space-y-2">
        <Breadcrumbs items={[{ href: "/audits", label: "Audits" }, { href: auditPath, label: audit.providerName }, { label: "Review" }]} />
        <div className="flex flex-wrap items-center justify-between gap-3">
          <h1 className="text-2xl font-semibold tracking-tight">Review: {audit.providerName}</h1>
          <AuditStatus status={audit.status} />
        </div>
        <p className="text-sm text-muted-foreground">
          {audit.questionnaire}
          {can.rate ? " · Rate each answer, record the verdict, then sign off." : signedOff ? "" : " · Read-only: only the audit's reviewers rate and sign off."}
        </p>
        {signedOff && <SignedOffBanner signedOffAt={audit.signedOffAt} signedOffBy={audit.signedOffBy} />}
      </div>

      {can.reopen && (
        <Card>
          <CardHeader>
            <CardTitle>Reopen the audit</CardTitle>
          </CardHeader>
          <CardContent>
            <ReopenForm auditId={audit.id} />
          </CardContent>
        </Card>
      )}

      <ReviewSummary review={review} auditPath={auditPath} />
      <AttentionList attention={review.attention} sectionTitles={sectionTitles} nothingAnswered={review.counts.answered === 0} />

      <section aria-labelledby="answers-heading" className="space-y-4">
        <h2 id="answers-heading" className="text-lg font-semibold">
          Answers and ratings
        </h2>
        <ReviewSections review={review} />
      </section>

      <Card id="verdict" className="scroll-mt-4">
        <CardHeader>
          <CardTitle>Verdict on the provider's suitability</CardTitle>
        </CardHeader>
        <CardContent>{can.recordVerdict ? <VerdictForm auditId={audit.id} initial={review.verdict} /> : <VerdictView verdict={review.verdict} />}</CardContent>
      </Card>

      {can.signOff && (
        <Card>
          <CardHeader>
            <CardTitle>Sign-off</CardTitle>
          </CardHeader>
          <CardContent>
            <SignOffPanel
              auditId={audit.id}
              verdict={review.verdict}
              counts={review.counts}
              openClarifications={review.clarifications.open}
              evidenceGaps={review.evidence.counts.missing + review.evidence.counts.expired}
            />
          </CardContent>
        </Card>
      )}
    </div>
  );
}
