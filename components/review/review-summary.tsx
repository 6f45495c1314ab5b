import Link from "next/link";
import { EvidenceChecklist } from "@/components/attachments/evidence-checklist";
import { VerdictBadge } from "@/components/review/rating-badge";
import type { TReview } from "@/lib/review/get-review";
import { RATING_LABELS, RATING_VALUES, type TRatingValue } from "@/lib/review/schemas";
import { cn } from "@/lib/utils";

const RATING_TONE: Record<TRatingValue, string> = {
  ACCEPTABLE: "border-l-green-600",
  NEEDS_CLARIFICATION: "border-l-amber-500",
  NOT_ACCEPTABLE: "border-l-red-600",
  NOT_APPLICABLE: "border-l-slate-400",
};

function Stat({ label, value, detail, tone, testId }: { label: string; value: React.ReactNode; detail?: React.ReactNode; tone?: string; testId?: string }) {
  return (
    <div className={cn("min-w-0 rounded-lg border border-l-4 border-border bg-card px-3 py-2.5 shadow-xs", tone ?? "border-l-border")} data-testid={testId}>
      <dt className="truncate text-xs font-medium text-muted-foreground">{label}</dt>
      <dd className="text-2xl font-semibold tabular-nums leading-tight">{value}</dd>
      {detail && <dd className="text-xs text-muted-foreground">{detail}</dd>}
    </div>
  );
}

/** The review at a glance: ratings, what is not rated or answered, clarifications, evidence, verdict. */
export function ReviewSummary({ review, auditPath }: { review: TReview; auditPath: string }) {
  const { counts, clarifications, evidence, verdict } = review;
  const evidenceGaps = evidence.counts.missing + evidence.counts.expired;
  return (
    <section aria-labelledby="review-summary-heading" className="space-y-3">
      <h2 id="review-summary-heading" className="text-lg font-semibold">
        At a glance
      </h2>
      <dl className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-6" aria-label="Answers by rating">
        {RATING_VALUES.map((r) => (
          <Stat key={r} label={RATING_LABELS[r]} value={counts[r]} tone={RATING_TONE[r]} testId={`count-${r}`} />
        ))}
        <Stat label="Answered, unrated" value={counts.unratedAnswered} detail={`of ${counts.answered} answered`} testId="count-unrated" />
        <Stat label="Required, unanswered" value={counts.unansweredRequired} detail={`${counts.visible} questions shown`} testId="count-unanswered" />
      </dl>
      <dl className="grid gap-3 sm:grid-cols-3">
        <Stat
          label="Open clarifications"
          value={clarifications.open}
          tone={clarifications.open > 0 ? "border-l-amber-500" : undefined}
          detail={
            clarifications.overdue > 0 ? (
              <span className="font-medium text-destructive">{clarifications.overdue} overdue</span>
            ) : clarifications.open > 0 ? (
              <Link href={auditPath} className="text-primary underline-offset-4 hover:underline">
                Threads on the overview
              </Link>
            ) : (
              "none waiting"
            )
          }
          testId="count-clarifications"
        />
        <Stat
          label="Evidence missing or expired"
          value={`${evidenceGaps} of ${evidence.items.length}`}
          tone={evidenceGaps > 0 ? "border-l-red-600" : "border-l-green-600"}
          detail={`${evidence.counts.missing} missing · ${evidence.counts.expired} expired · ${evidence.counts.expiring} expiring`}
          testId="count-evidence"
        />
        <Stat
          label="Verdict"
          value={<VerdictBadge verdict={verdict?.verdict ?? null} />}
          detail={
            <Link href="#verdict" className="text-primary underline-offset-4 hover:underline">
              {verdict ? "Read it" : review.can.recordVerdict ? "Record it" : "Not recorded yet"}
            </Link>
          }
          testId="verdict-state"
        />
      </dl>
      <details className="rounded-lg border border-border bg-card px-4 py-3 shadow-xs">
        <summary className="cursor-pointer text-sm font-medium">Evidence checklist: what is there, what is missing or expired</summary>
        <div className="mt-3">
          <EvidenceChecklist items={evidence.items} fileBaseUrl="/api/attachments" />
        </div>
      </details>
    </section>
  );
}
