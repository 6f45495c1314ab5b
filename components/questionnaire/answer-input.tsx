"use client";

import { useRef } from "react";
import { Input, Textarea } from "@/components/ui/input";
import { ANSWER_LIMITS } from "@/lib/questionnaires/answer-value";
import type { TRawValue } from "@/lib/questionnaires/raw-value";
import type { TQuestion } from "@/lib/questionnaires/schema";
import { cn } from "@/lib/utils";

interface Props {
  question: TQuestion;
  inputId: string;
  labelId: string;
  describedBy: string;
  raw: TRawValue;
  /** Shows the answer as text, for people who may read but not change it. */
  readOnly: boolean;
  invalid: boolean;
  /** `commit`: a finished choice (radio, checkbox, date) that can be saved shortly; text saves on blur. */
  onChange: (raw: TRawValue, commit: boolean) => void;
  onBlur: () => void;
}

const optionClass =
  "flex cursor-pointer items-center gap-2 rounded-md border border-input px-3 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring";

export function choiceOptions(question: TQuestion): { id: string; label: string }[] {
  return question.type === "yes_no"
    ? [
        { id: "yes", label: "Yes" },
        { id: "no", label: "No" },
      ]
    : (question.choices ?? []);
}

/** An answer as a person reads it: choice labels, not ids. */
export function describeAnswer(question: TQuestion, value: unknown): string {
  if (value === null || value === undefined || value === "") return "(no answer)";
  const labels = new Map(choiceOptions(question).map((o) => [o.id, o.label]));
  const label = (id: string) => labels.get(id) ?? id;
  if (Array.isArray(value)) return value.map(String).map(label).join(", ");
  return question.type === "yes_no" || question.type === "single_choice" ? label(String(value)) : String(value);
}

/** The control for one question, by answer type. */
export function AnswerInput({ question, inputId, labelId, describedBy, raw, readOnly, invalid, onChange, onBlur }: Props) {
  const group = useRef<HTMLDivElement>(null);
  if (readOnly) return <ReadOnlyAnswer question={question} raw={raw} describedBy={describedBy} labelId={labelId} />;
  const common = { "aria-invalid": invalid, "aria-describedby": describedBy };
  const str = typeof raw === "string" ? raw : "";

  switch (question.type) {
    case "yes_no":
    case "single_choice":
      return (
        <div ref={group} role="radiogroup" aria-labelledby={labelId} aria-describedby={describedBy} className="flex flex-wrap gap-2">
          {choiceOptions(question).map((o) => (
            <label key={o.id} className={optionClass}>
              <input type="radio" name={inputId} value={o.id} checked={str === o.id} onChange={() => onChange(o.id, true)} className="accent-primary" />
              {o.label}
            </label>
          ))}
          {str !== "" && (
            <button
              type="button"
              className="rounded-md px-2 text-sm text-muted-foreground underline-offset-4 hover:underline"
              onClick={() => {
                onChange("", true);
                // The button goes away with the answer: keep the keyboard in the group.
                group.current?.querySelector("input")?.focus();
              }}
            >
              Clear
            </button>
          )}
        </div>
      );
    case "multiple_choice": {
      const selected = Array.isArray(raw) ? raw : [];
      return (
        <div role="group" aria-labelledby={labelId} aria-describedby={describedBy} className="flex flex-wrap gap-2">
          {choiceOptions(question).map((o) => (
            <label key={o.id} className={optionClass}>
              <input
                type="checkbox"
                value={o.id}
                checked={selected.includes(o.id)}
                onChange={(e) => onChange(e.target.checked ? [...selected, o.id] : selected.filter((x) => x !== o.id), true)}
                className="accent-primary"
              />
              {o.label}
            </label>
          ))}
        </div>
      );
    }
    case "number":
      return <Input id={inputId} inputMode="decimal" className="max-w-48" value={str} onChange={(e) => onChange(e.target.value, false)} onBlur={onBlur} {...common} />;
    case "date":
      return <Input id={inputId} type="date" className="max-w-48" value={str} onChange={(e) => onChange(e.target.value, true)} onBlur={onBlur} {...common} />;
    case "text":
      return <Input id={inputId} value={str} maxLength={ANSWER_LIMITS.text} onChange={(e) => onChange(e.target.value, false)} onBlur={onBlur} {...common} />;
    case "long_text":
    case "evidence":
      return (
        <Textarea
          id={inputId}
          rows={3}
          value={str}
          maxLength={ANSWER_LIMITS.longText}
          placeholder={question.type === "evidence" ? "Describe the document you were shown or sent (file uploads come with provider invites)" : undefined}
          onChange={(e) => onChange(e.target.value, false)}
          onBlur={onBlur}
          {...common}
        />
      );
  }
}

function ReadOnlyAnswer({ question, raw, describedBy, labelId }: { question: TQuestion; raw: TRawValue; describedBy: string; labelId: string }) {
  const labels = new Map(choiceOptions(question).map((o) => [o.id, o.label]));
  const values = Array.isArray(raw) ? raw : raw === "" ? [] : [raw];
  const text = question.type.endsWith("choice") || question.type === "yes_no" ? values.map((v) => labels.get(v) ?? v).join(", ") : values.join("");
  return (
    <p aria-labelledby={labelId} aria-describedby={describedBy} className={cn("whitespace-pre-wrap break-words text-sm", text === "" && "italic text-muted-foreground")}>
      {text === "" ? "No answer yet" : text}
    </p>
  );
}
