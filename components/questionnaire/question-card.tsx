"use client";

import { useId, useState } from "react";
import { AnswerInput, describeAnswer } from "@/components/questionnaire/answer-input";
import type { TEntry } from "@/components/questionnaire/use-answer-sync";
import { InlineText } from "@/components/questionnaire/inline-text";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Label, Textarea } from "@/components/ui/input";
import { ANSWER_LIMITS } from "@/lib/questionnaires/answer-value";
import type { TQuestion } from "@/lib/questionnaires/schema";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";


interface Props {
  question: TQuestion;
  required: boolean;
  entry: TEntry;
  canEdit: boolean;
  /** Show the interview note (officers); providers never see it. */
  withNote: boolean;
  evidenceTitles: string[];
  scopeLabel?: string;
  onChange: (patch: Partial<Pick<TEntry, "raw" | "note">>, commit: boolean) => void;
  onSave: () => void;
  onResolveConflict: (keep: "mine" | "theirs") => void;
  /** More actions on this question, e.g. asking the provider for a clarification. */
  extra?: React.ReactNode;
}

export function QuestionCard({ question, required, entry, canEdit, withNote, evidenceTitles, scopeLabel, onChange, onSave, onResolveConflict, extra }: Props) {
  const uid = useId();
  const ids = { input: `${uid}-input`, label: `${uid}-label`, help: `${uid}-help`, status: `${uid}-status`, note: `${uid}-note` };
  const [noteOpen, setNoteOpen] = useState(entry.note !== "");
  const dirty = entry.status === "dirty" || entry.status === "error" || entry.status === "offline";

  return (
    <div
      id={`question-${question.id}`}
      data-question-id={question.id}
      className={cn("scroll-mt-4 rounded-lg border bg-card p-4 shadow-xs", entry.status === "conflict" ? "border-amber-400" : entry.status === "error" ? "border-destructive" : "border-border")}
      onKeyDown={(e) => {
        if (e.key === "Enter" && (e.ctrlKey || e.metaKey)) {
          e.preventDefault();
          onSave();
        }
      }}
    >
      <div className="mb-3 flex flex-wrap items-start justify-between gap-2">
        <Label id={ids.label} htmlFor={question.type.endsWith("choice") || question.type === "yes_no" ? undefined : ids.input} className="max-w-prose text-[0.95rem] leading-snug">
          <InlineText text={question.text} />
        </Label>
        <div className="flex shrink-0 flex-wrap gap-1">
          {scopeLabel && <Badge variant="muted">{scopeLabel}</Badge>}
          {required ? <Badge variant="outline">Required</Badge> : <Badge variant="muted">Optional</Badge>}
        </div>
      </div>

      <div id={ids.help} className="space-y-1">
        {question.guidance && (
          <p className="mb-2 whitespace-pre-line text-sm text-muted-foreground">
            <InlineText text={question.guidance} />
          </p>
        )}
        {evidenceTitles.length > 0 && <p className="mb-2 text-sm text-muted-foreground">Evidence: {evidenceTitles.join("; ")}</p>}
      </div>

      <AnswerInput
        question={question}
        inputId={ids.input}
        labelId={ids.label}
        describedBy={`${ids.help} ${ids.status}`}
        raw={entry.raw}
        readOnly={!canEdit}
        invalid={entry.status === "error"}
        onChange={(raw, commit) => onChange({ raw }, commit)}
        onBlur={() => dirty && onSave()}
      />

      {!withNote ? null : !canEdit ? (
        entry.note && (
          <div className="mt-3 space-y-1 text-sm">
            <p className="font-medium text-muted-foreground">Interview note</p>
            <p className="whitespace-pre-wrap break-words">{entry.note}</p>
          </div>
        )
      ) : noteOpen ? (
        <div className="mt-3 space-y-1.5">
          <Label htmlFor={ids.note} className="text-muted-foreground">
            Interview note
          </Label>
          <Textarea
            id={ids.note}
            rows={2}
            value={entry.note}
            maxLength={ANSWER_LIMITS.note}
            // Opened by the button, which is gone now: the keyboard continues here.
            autoFocus={entry.note === ""}
            placeholder="What was said, what to dig into"
            onChange={(e) => onChange({ note: e.target.value }, false)}
            onBlur={() => dirty && onSave()}
          />
        </div>
      ) : (
        <button type="button" className="mt-2 block rounded-md text-sm text-primary underline-offset-4 hover:underline" onClick={() => setNoteOpen(true)}>
          Add an interview note
        </button>
      )}

      {/* Always in the DOM: a live region announces changes only if it was there before them. */}
      <div className={cn("flex flex-wrap items-center justify-between gap-2", canEdit && (entry.status !== "idle" || entry.saved) && "mt-3 min-h-8")}>
        <p id={ids.status} aria-live="polite" className={cn("text-sm", entry.status === "error" ? "text-destructive" : "text-muted-foreground")}>
          {canEdit && <StatusText entry={entry} />}
        </p>
        {canEdit && dirty && (
          <Button size="sm" variant="secondary" onClick={onSave}>
            Save
          </Button>
        )}
      </div>
      {extra}

      {entry.status === "conflict" && (
        <div role="alert" className="mt-3 space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p>
            <strong>{entry.conflict?.updatedBy ?? "Someone"}</strong> saved this answer while you were editing it. Choose which one to keep.
          </p>
          <div className="grid gap-3 sm:grid-cols-2">
            <div>
              <p className="font-medium">Theirs</p>
              <p className="whitespace-pre-wrap break-words">{describeAnswer(question, entry.conflict?.value ?? null)}</p>
            </div>
            <div>
              <p className="font-medium">Yours</p>
              <p className="whitespace-pre-wrap break-words">{describeAnswer(question, Array.isArray(entry.raw) ? entry.raw : entry.raw || null)}</p>
            </div>
          </div>
          <div className="flex gap-2">
            <Button size="sm" variant="secondary" onClick={() => onResolveConflict("theirs")}>
              Keep theirs
            </Button>
            <Button size="sm" onClick={() => onResolveConflict("mine")}>
              Keep mine
            </Button>
          </div>
        </div>
      )}
    </div>
  );
}

function StatusText({ entry }: { entry: TEntry }) {
  switch (entry.status) {
    case "saving":
      return "Saving…";
    case "offline":
      return "Offline — will retry";
    case "dirty":
      return "Not saved yet";
    case "error":
      return `Not saved: ${entry.error ?? "try again"}`;
    case "conflict":
      return "Not saved: changed by someone else";
    case "saved":
    case "idle":
      if (!entry.saved) return "";
      return `${entry.status === "saved" ? "Saved" : "Last saved"} by ${entry.saved.updatedBy ?? "someone"} · ${formatDateTime(entry.saved.updatedAt)}`;
  }
}
