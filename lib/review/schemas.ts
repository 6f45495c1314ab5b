import { z } from "zod";

// One schema per form, used by the review page's forms in the browser and by the operations on
// the server. Pure: no server imports.

export const RATING_VALUES = ["ACCEPTABLE", "NEEDS_CLARIFICATION", "NOT_ACCEPTABLE", "NOT_APPLICABLE"] as const;
export type TRatingValue = (typeof RATING_VALUES)[number];

export const RATING_LABELS: Record<TRatingValue, string> = {
  ACCEPTABLE: "Acceptable",
  NEEDS_CLARIFICATION: "Needs clarification",
  NOT_ACCEPTABLE: "Not acceptable",
  NOT_APPLICABLE: "Not applicable",
};

/** A reviewer who finds an answer lacking says why: these ratings need a note. */
export const RATINGS_NEEDING_NOTE: readonly TRatingValue[] = ["NEEDS_CLARIFICATION", "NOT_ACCEPTABLE"];

export const VERDICT_VALUES = ["SUITABLE", "SUITABLE_WITH_CONDITIONS", "NOT_SUITABLE"] as const;
export type TVerdictValue = (typeof VERDICT_VALUES)[number];

export const VERDICT_LABELS: Record<TVerdictValue, string> = {
  SUITABLE: "Suitable",
  SUITABLE_WITH_CONDITIONS: "Suitable with conditions",
  NOT_SUITABLE: "Not suitable",
};

export const REVIEW_LIMITS = { note: 5_000, rationale: 10_000, condition: 1_000, conditions: 20, reason: 2_000 } as const;

const ZAuditId = z.uuid({ error: "not an audit id" });

/** The revision the edit started from; 0 when there was none yet (first rating, first verdict). */
const ZBaseRevision = z
  .number({ error: "say which revision this edit started from (0 for the first)" })
  .int("a revision is a whole number")
  .min(0, "a revision is never negative");

/** Free text that may be left empty: trimmed; empty means none (null). */
const optionalNote = (max: number) =>
  z
    .string()
    .max(max, `keep it under ${max.toLocaleString("en")} characters`)
    .nullish()
    .transform((s) => (s?.trim() ? s.trim() : null));

export const ZRateAnswerInput = z
  .object({
    auditId: ZAuditId,
    questionId: z.string().trim().min(1, "choose a question").max(120, "unknown question"),
    rating: z.enum(RATING_VALUES, { error: "choose a rating" }),
    note: optionalNote(REVIEW_LIMITS.note),
    baseRevision: ZBaseRevision,
  })
  .superRefine((v, ctx) => {
    if (RATINGS_NEEDING_NOTE.includes(v.rating) && !v.note) {
      ctx.addIssue({ code: "custom", path: ["note"], message: v.rating === "NOT_ACCEPTABLE" ? "say why it is not acceptable" : "say what needs clarifying" });
    }
  });
export type TRateAnswerInput = z.input<typeof ZRateAnswerInput>;

export const ZRecordVerdictInput = z
  .object({
    auditId: ZAuditId,
    verdict: z.enum(VERDICT_VALUES, { error: "choose a verdict" }),
    rationale: z
      .string({ error: "explain the verdict" })
      .trim()
      .min(1, "explain the verdict")
      .max(REVIEW_LIMITS.rationale, `keep it under ${REVIEW_LIMITS.rationale.toLocaleString("en")} characters`),
    conditions: z
      .array(
        z
          .string()
          .trim()
          .min(1, "write the condition, or remove it")
          .max(REVIEW_LIMITS.condition, `keep each condition under ${REVIEW_LIMITS.condition.toLocaleString("en")} characters`),
      )
      .max(REVIEW_LIMITS.conditions, `at most ${REVIEW_LIMITS.conditions} conditions`)
      .default([]),
    baseRevision: ZBaseRevision,
  })
  .superRefine((v, ctx) => {
    if (v.verdict === "SUITABLE_WITH_CONDITIONS" && v.conditions.length === 0) {
      ctx.addIssue({ code: "custom", path: ["conditions"], message: "add at least one condition" });
    }
    if (v.verdict !== "SUITABLE_WITH_CONDITIONS" && v.conditions.length > 0) {
      ctx.addIssue({ code: "custom", path: ["conditions"], message: "only a suitable-with-conditions verdict has conditions" });
    }
  });
export type TRecordVerdictInput = z.input<typeof ZRecordVerdictInput>;

export const ZSignOffAuditInput = z.object({
  auditId: ZAuditId,
  /** The verdict's revision the reviewer saw: a verdict changed meanwhile is not signed off blindly. */
  verdictRevision: z.number({ error: "say which verdict you sign off" }).int().min(1, "record the verdict first"),
});
export type TSignOffAuditInput = z.input<typeof ZSignOffAuditInput>;

export const ZReopenAuditInput = z.object({
  auditId: ZAuditId,
  reason: z
    .string({ error: "say why the audit is reopened" })
    .trim()
    .min(1, "say why the audit is reopened")
    .max(REVIEW_LIMITS.reason, `keep it under ${REVIEW_LIMITS.reason.toLocaleString("en")} characters`),
});
export type TReopenAuditInput = z.input<typeof ZReopenAuditInput>;
