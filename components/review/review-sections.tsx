import { QuestionReview } from "@/components/review/question-review";
import type { TReview } from "@/lib/review/get-review";

/** Every section with its shown questions, each with its answer and rating. */
export function ReviewSections({ review }: { review: TReview }) {
  const auditPath = `/audits/${review.audit.id}`;
  if (review.counts.answered === 0) {
    return (
      <p className="rounded-lg border border-border bg-card p-4 text-sm text-muted-foreground" data-testid="no-answers">
        No answers yet. The questions appear here to be rated once the officers or the provider start answering.
      </p>
    );
  }
  return (
    <div className="space-y-8">
      {review.sections
        .filter((s) => s.questions.length > 0)
        .map((section) => {
          const rated = section.questions.filter((q) => q.rating).length;
          return (
            <section key={section.id} aria-labelledby={`review-section-${section.id}`} className="space-y-3">
              <div className="flex flex-wrap items-baseline justify-between gap-2">
                <h3 id={`review-section-${section.id}`} className="text-base font-semibold">
                  {section.title}
                </h3>
                <span className="text-sm text-muted-foreground">
                  {rated} of {section.questions.length} rated
                </span>
              </div>
              <ul className="space-y-3">
                {section.questions.map((q) => (
                  <QuestionReview
                    key={q.id}
                    auditId={review.audit.id}
                    item={q}
                    canRate={review.can.rate}
                    sectionHref={`${auditPath}/sections/${section.id}`}
                    fileBaseUrl="/api/attachments"
                  />
                ))}
              </ul>
            </section>
          );
        })}
    </div>
  );
}
