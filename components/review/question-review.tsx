"use client";

import { Paperclip } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { describeAnswer } from "@/components/questionnaire/answer-input";
import { InlineText } from "@/components/questionnaire/inline-text";
import { RatingBadge } from "@/components/review/rating-badge";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label, Textarea } from "@/components/ui/input";
import { formatBytes } from "@/lib/attachments/file-types";
import { formatDateTime } from "@/lib/format";
import { rateAnswerAction } from "@/lib/review/actions";
import type { TReviewQuestion } from "@/lib/review/get-review";
import { RATING_LABELS, RATING_VALUES, RATINGS_NEEDING_NOTE, REVIEW_LIMITS, ZRateAnswerInput, type TRatingValue } from "@/lib/review/schemas";
import type { TRatingConflict, TRatingView } from "@/lib/review/types";
import { cn } from "@/lib/utils";

interface Props {
  auditId: string;
  item: TReviewQuestion;
  /** A reviewer (or admin) on an audit that is not signed off. */
  canRate: boolean;
  /** The question in the interview: `${sectionHref}#question-<id>`. */
  sectionHref: string;
  /** A file's URL is `${fileBaseUrl}/${id}`. */
  fileBaseUrl: string;
}

type TStatus = { kind: "idle" } | { kind: "saving" } | { kind: "saved" } | { kind: "error"; message: string; field?: "rating" | "note" } | { kind: "conflict"; current: TRatingView | null };

// Repeated four times per question on a long page: kept short.
const optionClass =
  "flex cursor-pointer items-center gap-2 rounded-md border border-input px-2.5 py-1 text-sm has-checked:border-primary has-checked:bg-primary/10 has-focus-visible:outline-2 has-focus-visible:outline-ring";

/**
 * One question in the review: the answer as it was given (read-only) and its rating. A rating is
 * saved with its Save button (or Ctrl+Enter), not on every click: a judgement and its reason go
 * together, and a "not acceptable" without its note would only be refused.
 */
export function QuestionReview({ auditId, item, canRate, sectionHref, fileBaseUrl }: Props) {
  const router = useRouter();
  const uid = useId();
  const ids = { legend: `${uid}-legend`, note: `${uid}-note`, hint: `${uid}-hint`, status: `${uid}-status` };
  const [saved, setSaved] = useState<TRatingView | null>(item.rating);
  const [rating, setRating] = useState<TRatingValue | null>(item.rating?.rating ?? null);
  const [note, setNote] = useState(item.rating?.note ?? "");
  const [status, setStatus] = useState<TStatus>({ kind: "idle" });
  const [pending, startTransition] = useTransition();
  const dirty = rating !== (saved?.rating ?? null) || note.trim() !== (saved?.note ?? "");
  const noteRequired = rating !== null && RATINGS_NEEDING_NOTE.includes(rating);

  const save = (base: TRatingView | null = saved) => {
    const input = { auditId, questionId: item.id, rating: rating ?? undefined, note, baseRevision: base?.revision ?? 0 };
    const parsed = ZRateAnswerInput.safeParse(input);
    if (!parsed.success) {
      const issue = parsed.error.issues[0]!;
      setStatus({ kind: "error", message: issue.message, field: issue.path[0] === "note" ? "note" : "rating" });
      return;
    }
    setStatus({ kind: "saving" });
    startTransition(async () => {
      const result = await rateAnswerAction({ ...input, rating: parsed.data.rating });
      if (result.ok) {
        setSaved(result.data);
        setNote(result.data.note ?? "");
        setStatus({ kind: "saved" });
        return;
      }
      if (result.code === "CONFLICT") {
        setStatus({ kind: "conflict", current: (result.details as TRatingConflict | undefined)?.current ?? null });
        return;
      }
      setStatus({ kind: "error", message: result.fieldErrors?.note ?? result.message, field: result.fieldErrors?.note ? "note" : undefined });
      // Signed off meanwhile: the page shows the banner and turns read-only.
      if ((result.details as { reason?: string } | undefined)?.reason === "signed_off") router.refresh();
    });
  };

  const adopt = (current: TRatingView | null) => {
    setSaved(current);
    setRating(current?.rating ?? null);
    setNote(current?.note ?? "");
    setStatus({ kind: "idle" });
  };

  const answer = item.answer;
  return (
    <li
      id={`review-${item.id}`}
      data-question-id={item.id}
      className={cn("scroll-mt-4", item.depth > 0 && "border-l-2 border-primary/20 pl-3")}
      style={item.depth > 0 ? { marginLeft: `${Math.min(item.depth, 3) * 0.75}rem` } : undefined}
    >
      <article
        aria-labelledby={`${uid}-q`}
        className={cn(
          "space-y-3 rounded-lg border bg-card p-4 shadow-xs",
          status.kind === "conflict" ? "border-amber-400" : status.kind === "error" ? "border-destructive" : "border-border",
        )}
        onKeyDown={(e) => {
          if (canRate && e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
            e.preventDefault();
            save();
          }
        }}
      >
        <div className="flex flex-wrap items-start justify-between gap-2">
          <h4 id={`${uid}-q`} className="max-w-prose text-[0.95rem] font-medium leading-snug">
            <InlineText text={item.question.text} />
          </h4>
          <div className="flex shrink-0 flex-wrap gap-1">
            {item.required ? <Badge variant="outline">Required</Badge> : <Badge variant="muted">Optional</Badge>}
            {item.openClarifications > 0 && (
              <Badge variant="warning">
                {item.openClarifications} open clarification{item.openClarifications === 1 ? "" : "s"}
              </Badge>
            )}
          </div>
        </div>
        <div className="grid gap-4 md:grid-cols-[minmax(0,1fr)_21rem] lg:grid-cols-[minmax(0,1fr)_24rem]">
          <div className="min-w-0 space-y-2">
            <div className="rounded-md bg-muted/60 px-3 py-2 text-sm">
              <p className="sr-only">Answer:</p>
              {item.answered ? (
                <p className="whitespace-pre-wrap break-words" data-testid="answer">
                  {describeAnswer(item.question, answer?.value ?? null)}
                </p>
              ) : (
                <p className="italic text-muted-foreground" data-testid="answer">
                  No answer
                </p>
              )}
              {answer && (
                <p className="mt-1 text-xs text-muted-foreground">
                  {item.answered ? "Answered" : "Cleared"} by {answer.updatedBy ?? "someone"} · {formatDateTime(answer.updatedAt)} ·{" "}
                  <Link href={`${sectionHref}#question-${item.id}`} className="underline-offset-4 hover:underline">
                    in the interview
                  </Link>
                </p>
              )}
            </div>
            {answer?.note && (
              <div className="text-sm">
                <p className="text-xs font-medium text-muted-foreground">Interview note</p>
                <p className="whitespace-pre-wrap break-words">{answer.note}</p>
              </div>
            )}
            {item.files.length > 0 && (
              <ul className="space-y-1 text-sm" aria-label="Files">
                {item.files.map((f) => (
                  <li key={f.id} className="flex min-w-0 items-center gap-1.5">
                    <Paperclip aria-hidden className="size-3.5 shrink-0 text-muted-foreground" />
                    <a href={`${fileBaseUrl}/${f.id}`} className="truncate text-primary underline-offset-4 hover:underline">
                      {f.fileName}
                    </a>
                    <span className="shrink-0 text-xs text-muted-foreground">{formatBytes(f.size)}</span>
                  </li>
                ))}
              </ul>
            )}
          </div>

          {canRate ? (
            <div className="min-w-0 space-y-3 border-t border-border pt-3 md:border-l md:border-t-0 md:pl-4 md:pt-0">
              <fieldset aria-describedby={status.kind === "error" && status.field === "rating" ? ids.status : undefined}>
                <legend id={ids.legend} className="sr-only">
                  Rating
                </legend>
                <div className="grid grid-cols-2 gap-1.5">
                  {RATING_VALUES.map((r) => (
                    <label key={r} className={optionClass}>
                      <input
                        type="radio"
                        name={`${uid}-rating`}
                        value={r}
                        checked={rating === r}
                        disabled={pending}
                        onChange={() => {
                          setRating(r);
                          if (status.kind !== "conflict") setStatus({ kind: "idle" });
                        }}
                        className="accent-primary"
                      />
                      <span className="leading-tight lg:whitespace-nowrap">{RATING_LABELS[r]}</span>
                    </label>
                  ))}
                </div>
              </fieldset>
              <div className="space-y-1">
                <Label htmlFor={ids.note} className="text-sm">
                  Note{" "}
                  <span className="font-normal text-muted-foreground" id={ids.hint}>
                    {noteRequired ? "(required: say why)" : "(optional)"}
                  </span>
                </Label>
                <Textarea
                  id={ids.note}
                  rows={2}
                  // Grows with what is written (Chromium, Safari 26+); elsewhere two lines and a resize handle.
                  className="min-h-16 field-sizing-content"
                  value={note}
                  maxLength={REVIEW_LIMITS.note}
                  disabled={pending}
                  aria-invalid={status.kind === "error" && status.field === "note"}
                  aria-describedby={`${ids.hint} ${ids.status}`}
                  onChange={(e) => {
                    setNote(e.target.value);
                    if (status.kind === "error" || status.kind === "saved") setStatus({ kind: "idle" });
                  }}
                />
              </div>
              <div className="flex min-h-9 flex-wrap items-center justify-between gap-2">
                <p id={ids.status} aria-live="polite" className={cn("min-w-0 flex-1 text-xs", status.kind === "error" ? "text-destructive" : "text-muted-foreground")}>
                  <StatusText status={status} dirty={dirty} saved={saved} />
                </p>
                <Button size="sm" variant={dirty ? "default" : "secondary"} disabled={!dirty || pending} onClick={() => save()}>
                  {pending ? "Saving…" : "Save rating"}
                </Button>
              </div>
              {status.kind === "conflict" && (
                <div role="alert" className="space-y-2 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
                  <p>
                    <strong>{status.current?.ratedBy ?? "Someone"}</strong> rated this answer while you were editing:{" "}
                    <strong>{status.current ? RATING_LABELS[status.current.rating] : "no rating"}</strong>
                    {status.current?.note ? ` — “${status.current.note}”` : ""}.
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button size="sm" variant="secondary" onClick={() => adopt(status.current)}>
                      Keep theirs
                    </Button>
                    <Button size="sm" onClick={() => save(status.current)}>
                      Keep mine
                    </Button>
                  </div>
                </div>
              )}
            </div>
          ) : (
            <div className="min-w-0 space-y-1.5 border-t border-border pt-3 text-sm md:border-l md:border-t-0 md:pl-4 md:pt-0" data-testid="rating">
              <p className="text-sm font-medium">Rating</p>
              <RatingBadge rating={saved?.rating ?? null} />
              {saved?.note && <p className="whitespace-pre-wrap break-words">{saved.note}</p>}
              {saved && (
                <p className="text-xs text-muted-foreground">
                  {saved.ratedBy ?? "A reviewer"} · {formatDateTime(saved.ratedAt)}
                </p>
              )}
            </div>
          )}
        </div>
      </article>
    </li>
  );
}

function StatusText({ status, dirty, saved }: { status: TStatus; dirty: boolean; saved: TRatingView | null }) {
  switch (status.kind) {
    case "saving":
      return "Saving…";
    case "error":
      return `Not saved: ${status.message}`;
    case "conflict":
      return "Not saved: rated by someone else meanwhile";
    case "saved":
    case "idle":
      if (dirty) return saved ? "Changed, not saved yet" : "Not rated yet";
      if (!saved) return "Not rated yet";
      return `${status.kind === "saved" ? "Saved" : "Rated"} by ${saved.ratedBy ?? "a reviewer"} · ${formatDateTime(saved.ratedAt)}`;
  }
}
