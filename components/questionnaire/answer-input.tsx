"use client";

import { Input, Textarea } from "@/components/ui/input";
import { ANSWER_LIMITS } from "@/lib/questionnaires/answer-value";
import type { TRawValue } from "@/lib/questionnaires/raw-value";
import type { TQuestion } from "@/lib/questionnaires/schema";

interface Props {
  question: TQuestion;
  inputId: string;
  labelId: string;
  describedBy: string;
  raw: TRawValue;
  disabled: boolean;
  invalid: boolean;
  /** `commit` asks for an immediate save (choices, dates); text saves on blur. */
  onChange: (raw: TRawValue, commit: boolean) => void;
  onBlur: () => void;
}

/** The control for one question, by answer type. */
export function AnswerInput({ question, inputId, labelId, describedBy, raw, disabled, invalid, onChange, onBlur }: Props) {
  const common = { disabled, "aria-invalid": invalid, "aria-describedby": describedBy };
  const str = typeof raw === "string" ? raw : "";

  switch (question.type) {
    case "yes_no":
    case "single_choice": {
      const options = question.type === "yes_no" ? [{ id: "yes", label: "Yes" }, { id: "no", label: "No" }] : (question.choices ?? []);
      return (
        <div role="radiogroup" aria-labelledby={labelId} aria-describedby={describedBy} className="flex flex-wrap gap-2">
          {options.map((o) => (
            <label
              key={o.id}
              className="flex cursor-pointer items-center gap-2 rounded-md border border-input px-3 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:disabled]:cursor-not-allowed"
            >
              <input
                type="radio"
                name={inputId}
                value={o.id}
                checked={str === o.id}
                disabled={disabled}
                onChange={() => onChange(o.id, true)}
                className="accent-primary"
              />
              {o.label}
            </label>
          ))}
          {str !== "" && !disabled && (
            <button type="button" className="px-2 text-sm text-muted-foreground underline-offset-4 hover:underline" onClick={() => onChange("", true)}>
              Clear
            </button>
          )}
        </div>
      );
    }
    case "multiple_choice": {
      const selected = Array.isArray(raw) ? raw : [];
      return (
        <div role="group" aria-labelledby={labelId} aria-describedby={describedBy} className="flex flex-wrap gap-2">
          {(question.choices ?? []).map((o) => (
            <label
              key={o.id}
              className="flex cursor-pointer items-center gap-2 rounded-md border border-input px-3 py-1.5 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10"
            >
              <input
                type="checkbox"
                value={o.id}
                checked={selected.includes(o.id)}
                disabled={disabled}
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
      return (
        <Input id={inputId} inputMode="decimal" className="max-w-48" value={str} onChange={(e) => onChange(e.target.value, false)} onBlur={onBlur} {...common} />
      );
    case "date":
      return <Input id={inputId} type="date" className="max-w-48" value={str} onChange={(e) => onChange(e.target.value, true)} {...common} />;
    case "text":
      return (
        <Input id={inputId} value={str} maxLength={ANSWER_LIMITS.text} onChange={(e) => onChange(e.target.value, false)} onBlur={onBlur} {...common} />
      );
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
