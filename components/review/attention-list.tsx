import { InlineText } from "@/components/questionnaire/inline-text";
import type { TAttentionReason, TReview } from "@/lib/review/get-review";
import { cn } from "@/lib/utils";

const GROUPS: Record<TAttentionReason, { title: string; tone: string }> = {
  NOT_ACCEPTABLE: { title: "Not acceptable", tone: "text-red-800" },
  NEEDS_CLARIFICATION: { title: "Needs clarification", tone: "text-amber-900" },
  UNANSWERED_REQUIRED: { title: "Required but unanswered", tone: "text-foreground" },
  UNRATED: { title: "Answered but not rated", tone: "text-foreground" },
};

/** Shown in full up to this many per group; the rest behind "Show all". */
const VISIBLE_PER_GROUP = 8;

/** "Needs attention first": links to the questions' rows, worst first. */
export function AttentionList({ attention, sectionTitles, nothingAnswered }: { attention: TReview["attention"]; sectionTitles: Record<string, string>; nothingAnswered: boolean }) {
  const groups = (Object.keys(GROUPS) as TAttentionReason[])
    .map((reason) => ({ reason, items: attention.filter((a) => a.reason === reason) }))
    .filter((g) => g.items.length > 0);
  return (
    <section aria-labelledby="attention-heading" className="space-y-3">
      <h2 id="attention-heading" className="text-lg font-semibold">
        Needs attention first
      </h2>
      {nothingAnswered ? (
        <p className="rounded-lg border border-border bg-card p-4 text-sm text-muted-foreground">Nothing is answered yet.</p>
      ) : groups.length === 0 ? (
        <p className="rounded-lg border border-border bg-card p-4 text-sm text-muted-foreground">
          Nothing needs attention: every question shown is rated acceptable or not applicable.
        </p>
      ) : (
        <div className="grid gap-3 md:grid-cols-2">
          {groups.map(({ reason, items }) => {
            const link = (a: (typeof items)[number]) => (
              <li key={a.questionId} className="min-w-0">
                <a href={`#review-${a.questionId}`} className="block rounded-sm py-0.5 text-sm text-primary underline-offset-4 hover:underline">
                  <InlineText text={a.text} />
                </a>
                <span className="block text-xs text-muted-foreground">{sectionTitles[a.sectionId]}</span>
              </li>
            );
            return (
              <div key={reason} className="rounded-lg border border-border bg-card p-4 shadow-xs" data-testid={`attention-${reason}`}>
                <h3 className={cn("mb-2 text-sm font-semibold", GROUPS[reason].tone)}>
                  {GROUPS[reason].title} <span className="font-normal text-muted-foreground">({items.length})</span>
                </h3>
                <ol className="space-y-1.5">{items.slice(0, VISIBLE_PER_GROUP).map(link)}</ol>
                {items.length > VISIBLE_PER_GROUP && (
                  <details className="mt-2">
                    <summary className="cursor-pointer text-sm text-muted-foreground">Show {items.length - VISIBLE_PER_GROUP} more</summary>
                    <ol className="mt-1.5 space-y-1.5">{items.slice(VISIBLE_PER_GROUP).map(link)}</ol>
                  </details>
                )}
              </div>
            );
          })}
        </div>
      )}
    </section>
  );
}
