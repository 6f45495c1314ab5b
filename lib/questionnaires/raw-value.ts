import type { TQuestion } from "./schema";
import type { TAnswerValue } from "./visibility";

// Form controls hold strings (a number field can hold "12." while typing); answers hold typed
// values. These two functions convert between them.

export type TRawValue = string | string[];

export function toRaw(question: TQuestion, value: TAnswerValue | undefined): TRawValue {
  if (question.type === "multiple_choice") return Array.isArray(value) ? value : [];
  if (value === null || value === undefined) return "";
  return Array.isArray(value) ? value.join(", ") : String(value);
}

/** The typed value of a form control; empty means "no answer" (null). Unparseable numbers stay strings for the schema to refuse. */
export function fromRaw(question: TQuestion, raw: TRawValue): TAnswerValue {
  if (Array.isArray(raw)) return raw.length === 0 ? null : raw;
  if (raw.trim() === "") return null;
  if (question.type === "number") {
    const n = Number(raw.trim());
    return Number.isFinite(n) ? n : raw;
  }
  return raw;
}
