import { z } from "zod";

// The questionnaire file format (questionnaires/README.md documents it for authors).
// Pure module: imported by the loader, the renderer (client) and the tests.

export const QUESTIONNAIRE_FORMAT = "assay.questionnaire/v1";

const ZId = z
  .string()
  .min(1)
  .max(120)
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, "use lowercase letters, digits, '-' and '.' (e.g. iaas.anti-affinity)");

const ZText = z.string().trim().min(1, "must not be empty");

export const ANSWER_TYPES = [
  "text",
  "long_text",
  "yes_no",
  "single_choice",
  "multiple_choice",
  "number",
  "date",
  "evidence",
] as const;
export const ZAnswerType = z.enum(ANSWER_TYPES);
export type TAnswerType = z.infer<typeof ZAnswerType>;

export const SECTION_CATEGORIES = [
  "technical",
  "organizational",
  "legal",
  "collaboration",
  "environmental",
  "evidence",
] as const;

const ZChoice = z.strictObject({ id: ZId, label: ZText });

/** A reference to a requirement of a standard (ISO/IEC 27001 A.5.23, IEC 62443-3-3 SR 1.1 …). */
const ZStandardRef = z.strictObject({
  standard: ZText,
  id: ZText,
  title: ZText.optional(),
});

/**
 * When a follow-up is shown, judged on its parent's answer: `equals` for yes/no and single
 * choice ("yes", "no" or a choice id), `anyOf` for single or multiple choice.
 */
const ZCondition = z
  .strictObject({
    equals: ZText.optional(),
    anyOf: z.array(ZText).min(1).optional(),
  })
  .refine((c) => (c.equals === undefined) !== (c.anyOf === undefined), {
    message: "give exactly one of `equals` or `anyOf`",
  });
export type TCondition = z.infer<typeof ZCondition>;

export interface TQuestion {
  id: string;
  text: string;
  type: TAnswerType;
  required: boolean;
  guidance?: string;
  choices?: { id: string; label: string }[];
  /** Shown only when this scope flag is set on the audit. */
  scope?: string;
  /** Evidence-checklist items this question asks for. */
  evidence?: string[];
  refs?: { standard: string; id: string; title?: string }[];
  /** Only on follow-ups: when the follow-up is shown, judged on the parent's answer. */
  when?: TCondition;
  followUps: TQuestion[];
}

const ZQuestion: z.ZodType<TQuestion, unknown> = z.lazy(() =>
  z.strictObject({
    id: ZId,
    text: ZText,
    type: ZAnswerType,
    required: z.boolean().default(true),
    guidance: ZText.optional(),
    choices: z.array(ZChoice).min(2).optional(),
    scope: ZId.optional(),
    evidence: z.array(ZId).min(1).optional(),
    refs: z.array(ZStandardRef).optional(),
    when: ZCondition.optional(),
    followUps: z.array(ZQuestion).default([]),
  }),
);

const ZGroup = z.strictObject({
  id: ZId,
  title: ZText.optional(),
  guidance: ZText.optional(),
  questions: z.array(ZQuestion).min(1),
});
export type TGroup = z.infer<typeof ZGroup>;

const ZSection = z.strictObject({
  id: ZId,
  title: ZText,
  category: z.enum(SECTION_CATEGORIES),
  guidance: ZText.optional(),
  /** The optional part this section belongs to, if any. */
  part: ZId.optional(),
  groups: z.array(ZGroup).min(1),
});
export type TSection = z.infer<typeof ZSection>;

const ZScope = z.strictObject({
  id: ZId,
  label: ZText,
  description: ZText.optional(),
  default: z.boolean().default(false),
});
export type TScope = z.infer<typeof ZScope>;

/** A set of sections that may be skipped: optional unless the named scope flag is set. */
const ZPart = z.strictObject({
  id: ZId,
  title: ZText,
  guidance: ZText.optional(),
  optionalUnless: ZId,
});
export type TPart = z.infer<typeof ZPart>;

const ZEvidenceItem = z.strictObject({
  id: ZId,
  title: ZText,
  description: ZText.optional(),
});
export type TEvidenceItem = z.infer<typeof ZEvidenceItem>;

const ZQuestionnaireShape = z.strictObject({
  format: z.literal(QUESTIONNAIRE_FORMAT),
  slug: ZId,
  version: z.string().regex(/^\d+\.\d+\.\d+$/, "use a semantic version such as 1.0.0"),
  title: ZText,
  summary: ZText.optional(),
  language: z.string().regex(/^[a-z]{2}(-[A-Z]{2})?$/).default("en"),
  source: z
    .strictObject({
      title: ZText,
      publisher: ZText.optional(),
      url: z.url().optional(),
      document: ZText.optional(),
    })
    .optional(),
  /** How to run the audit, shown to the auditor before the questions. */
  guidance: ZText,
  scopes: z.array(ZScope).default([]),
  parts: z.array(ZPart).default([]),
  sections: z.array(ZSection).min(1),
  evidence: z.array(ZEvidenceItem).default([]),
});

export type TQuestionnaire = z.infer<typeof ZQuestionnaireShape>;

/** Walks every question with its path in the file, parents before their follow-ups. */
export function* walkQuestions(
  q: Pick<TQuestionnaire, "sections">,
): Generator<{ question: TQuestion; parent?: TQuestion; section: TSection; group: TGroup; path: (string | number)[] }> {
  for (const [si, section] of q.sections.entries()) {
    for (const [gi, group] of section.groups.entries()) {
      const visit = function* (
        questions: TQuestion[],
        parent: TQuestion | undefined,
        path: (string | number)[],
      ): Generator<{ question: TQuestion; parent?: TQuestion; section: TSection; group: TGroup; path: (string | number)[] }> {
        for (const [qi, question] of questions.entries()) {
          const here = [...path, qi];
          yield { question, parent, section, group, path: here };
          yield* visit(question.followUps, question, [...here, "followUps"]);
        }
      };
      yield* visit(group.questions, undefined, ["sections", si, "groups", gi, "questions"]);
    }
  }
}

const CHOICE_TYPES: TAnswerType[] = ["single_choice", "multiple_choice"];

/** Cross-references a plain schema cannot check: unique ids, known scopes/parts/evidence, conditions. */
export const ZQuestionnaire = ZQuestionnaireShape.superRefine((q, ctx) => {
  const seen = new Map<string, string>();
  const claim = (id: string, kind: string, path: (string | number)[]) => {
    const previous = seen.get(id);
    if (previous) ctx.addIssue({ code: "custom", path, message: `id "${id}" is already used by a ${previous}` });
    else seen.set(id, kind);
  };
  const scopes = new Set(q.scopes.map((s) => s.id));
  const parts = new Set(q.parts.map((p) => p.id));
  const evidence = new Set(q.evidence.map((e) => e.id));

  q.scopes.forEach((s, i) => claim(s.id, "scope", ["scopes", i, "id"]));
  q.parts.forEach((p, i) => {
    claim(p.id, "part", ["parts", i, "id"]);
    if (!scopes.has(p.optionalUnless))
      ctx.addIssue({ code: "custom", path: ["parts", i, "optionalUnless"], message: `unknown scope "${p.optionalUnless}"` });
  });
  q.evidence.forEach((e, i) => claim(e.id, "evidence item", ["evidence", i, "id"]));
  q.sections.forEach((s, si) => {
    claim(s.id, "section", ["sections", si, "id"]);
    if (s.part && !parts.has(s.part))
      ctx.addIssue({ code: "custom", path: ["sections", si, "part"], message: `unknown part "${s.part}"` });
    s.groups.forEach((g, gi) => claim(g.id, "group", ["sections", si, "groups", gi, "id"]));
  });

  for (const { question, parent, path } of walkQuestions(q)) {
    claim(question.id, "question", [...path, "id"]);
    const isChoice = CHOICE_TYPES.includes(question.type);
    if (isChoice && !question.choices)
      ctx.addIssue({ code: "custom", path: [...path, "choices"], message: `a ${question.type} question needs choices` });
    if (!isChoice && question.choices)
      ctx.addIssue({ code: "custom", path: [...path, "choices"], message: `a ${question.type} question takes no choices` });
    if (question.scope && !scopes.has(question.scope))
      ctx.addIssue({ code: "custom", path: [...path, "scope"], message: `unknown scope "${question.scope}"` });
    question.evidence?.forEach((e, i) => {
      if (!evidence.has(e))
        ctx.addIssue({ code: "custom", path: [...path, "evidence", i], message: `unknown evidence item "${e}"` });
    });
    if (question.when) {
      if (!parent) {
        ctx.addIssue({ code: "custom", path: [...path, "when"], message: "only a follow-up can have a condition" });
        continue;
      }
      const allowed =
        parent.type === "yes_no"
          ? ["yes", "no"]
          : CHOICE_TYPES.includes(parent.type)
            ? (parent.choices ?? []).map((c) => c.id)
            : null;
      if (!allowed) {
        ctx.addIssue({
          code: "custom",
          path: [...path, "when"],
          message: `a condition needs a yes_no or choice parent, not ${parent.type}`,
        });
        continue;
      }
      for (const v of question.when.anyOf ?? [question.when.equals!]) {
        if (!allowed.includes(v))
          ctx.addIssue({
            code: "custom",
            path: [...path, "when"],
            message: `"${v}" is not an answer of "${parent.id}" (expected one of ${allowed.join(", ")})`,
          });
      }
      if (question.when.equals !== undefined && parent.type === "multiple_choice")
        ctx.addIssue({ code: "custom", path: [...path, "when"], message: "use anyOf with a multiple_choice parent" });
    }
  }
});
