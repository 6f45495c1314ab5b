import { z } from "zod";
import type { TQuestion } from "./schema";

// The shape of an answer, by question type. Shared by the form (client) and the save action
// (server) so that both give the same message for the same mistake.

export const ANSWER_LIMITS = {
  text: 2_000,
  longText: 20_000,
  note: 20_000,
  choices: 100,
} as const;

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "use a date like 2026-01-31")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, "this date does not exist");

function tooLong(max: number) {
  return `keep it under ${max.toLocaleString("en")} characters`;
}

// Questions come from immutable, cached questionnaire versions: build each one's schema once
// (autosave parses a value on every keystroke pause).
const schemas = new WeakMap<TQuestion, ReturnType<typeof buildSchema>>();

/** zod schema of one question's value; `null` clears the answer. */
export function answerValueSchema(question: TQuestion) {
  let schema = schemas.get(question);
  if (!schema) {
    schema = buildSchema(question);
    schemas.set(question, schema);
  }
  return schema;
}

function buildSchema(question: TQuestion) {
  switch (question.type) {
    case "text":
      return z.string({ error: "enter text" }).max(ANSWER_LIMITS.text, tooLong(ANSWER_LIMITS.text)).nullable();
    case "long_text":
    case "evidence":
      return z.string({ error: "enter text" }).max(ANSWER_LIMITS.longText, tooLong(ANSWER_LIMITS.longText)).nullable();
    case "yes_no":
      return z.enum(["yes", "no"], { error: "answer yes or no" }).nullable();
    case "single_choice": {
      const ids = (question.choices ?? []).map((c) => c.id);
      return z.string({ error: "pick one of the listed options" }).refine((v) => ids.includes(v), "pick one of the listed options").nullable();
    }
    case "multiple_choice": {
      const ids = (question.choices ?? []).map((c) => c.id);
      return z
        .array(z.string().refine((v) => ids.includes(v), "pick from the listed options"), { error: "pick from the listed options" })
        .max(ANSWER_LIMITS.choices)
        .refine((a) => new Set(a).size === a.length, "an option is listed twice")
        .nullable();
    }
    case "number":
      return z
        .number({ error: "enter a number" })
        .finite("enter a finite number")
        .min(-1e15, "this number is too large")
        .max(1e15, "this number is too large")
        .nullable();
    case "date":
      return isoDate.nullable();
  }
}
