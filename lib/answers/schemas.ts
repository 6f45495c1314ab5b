import { z } from "zod";
import { ANSWER_LIMITS } from "@/lib/questionnaires/answer-value";

// The answer's value is checked against its question's type by saveAnswer (answerValueSchema);
// here only its outer shape.
export const ZSaveAnswerInput = z.object({
  auditId: z.uuid({ error: "not an audit id" }),
  questionId: z.string().min(1).max(120),
  value: z.union([z.string(), z.number(), z.array(z.string()), z.null()], { error: "this answer has the wrong shape" }),
  note: z
    .string()
    .max(ANSWER_LIMITS.note, `keep the note under ${ANSWER_LIMITS.note.toLocaleString("en")} characters`)
    .nullable(),
  /** The revision the edit started from; 0 when the question had no answer yet. */
  baseRevision: z.number({ error: "say which revision this edit started from (0 for a first answer)" }).int("a revision is a whole number").min(0, "a revision is never negative"),
});
export type TSaveAnswerInput = z.input<typeof ZSaveAnswerInput>;
