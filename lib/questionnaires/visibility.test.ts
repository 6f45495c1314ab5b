import { describe, expect, it } from "vitest";
import { readFileSync } from "node:fs";
import path from "node:path";
import { parseQuestionnaireFile } from "./parse-questionnaire-file";
import { computeProgress, percent } from "./progress";
import { questionIndex } from "./question-index";
import { walkQuestions, ZQuestionnaire, type TQuestionnaire } from "./schema";
import { computeQuestionStates, conditionHolds, isQuestionVisible, resolveScope, type TAnswerMap } from "./visibility";

// A small questionnaire with every rule the renderer applies: follow-ups on yes and on no,
// nested follow-ups, a scoped question, an optional part and a multiple-choice condition.
const q: TQuestionnaire = ZQuestionnaire.parse({
  format: "assay.questionnaire/v1",
  slug: "t",
  version: "1.0.0",
  title: "T",
  guidance: "Ask everything.",
  scopes: [
    { id: "nfs", label: "NFS" },
    { id: "managed", label: "Managed", default: true },
  ],
  parts: [{ id: "managed-only", title: "Managed only", optionalUnless: "managed" }],
  sections: [
    {
      id: "tech",
      title: "Tech",
      category: "technical",
      groups: [
        {
          id: "g",
          questions: [
            {
              id: "aa",
              text: "Anti-affinity?",
              type: "yes_no",
              followUps: [
                { id: "aa.max", text: "Max?", type: "number", when: { equals: "yes" }, followUps: [{ id: "aa.max.why", text: "Why?", type: "text" }] },
                { id: "aa.how", text: "How then?", type: "long_text", when: { equals: "no" } },
              ],
            },
            { id: "nfs.map", text: "Mapping?", type: "long_text", scope: "nfs" },
            {
              id: "svc",
              text: "Services?",
              type: "multiple_choice",
              choices: [
                { id: "vm", label: "VMs" },
                { id: "s3", label: "Object storage" },
              ],
              followUps: [{ id: "svc.s3", text: "S3 API?", type: "yes_no", when: { anyOf: ["s3"] } }],
            },
            { id: "opt", text: "Optional one", type: "text", required: false },
          ],
        },
      ],
    },
    { id: "legal", title: "Legal", category: "legal", part: "managed-only", groups: [{ id: "lg", questions: [{ id: "dpo", text: "DPO?", type: "yes_no" }] }] },
  ],
});

const visible = (scope: Record<string, boolean>, answers: Record<string, unknown>) =>
  [...computeQuestionStates(q, scope, answers as never).values()].filter((s) => s.visible).map((s) => s.question.id);

describe("conditional visibility", () => {
  const scope = resolveScope(q);

  it("shows only top-level questions before anything is answered", () => {
    expect(visible(scope, {})).toEqual(["aa", "svc", "opt", "dpo"]);
  });

  it("shows the yes follow-up and its own follow-ups on yes, the no follow-up on no", () => {
    expect(visible(scope, { aa: "yes" })).toEqual(["aa", "aa.max", "aa.max.why", "svc", "opt", "dpo"]);
    expect(visible(scope, { aa: "no" })).toEqual(["aa", "aa.how", "svc", "opt", "dpo"]);
  });

  it("hides a follow-up again when the parent changes, even though its answer is kept", () => {
    expect(visible(scope, { aa: "no", "aa.max": 40, "aa.max.why": "limits" })).toEqual(["aa", "aa.how", "svc", "opt", "dpo"]);
  });

  it("shows a multiple-choice follow-up when any listed choice is picked", () => {
    expect(visible(scope, { svc: ["vm"] })).not.toContain("svc.s3");
    expect(visible(scope, { svc: ["vm", "s3"] })).toContain("svc.s3");
  });

  it("shows scoped questions only when the audit has the scope", () => {
    expect(visible({ ...scope, nfs: true }, {})).toContain("nfs.map");
  });

  it("conditions on an unanswered parent do not hold", () => {
    expect(conditionHolds({ equals: "yes" }, undefined)).toBe(false);
    expect(conditionHolds({ equals: "yes" }, null)).toBe(false);
  });
});

describe("progress", () => {
  it("counts visible required questions; optional ones and hidden follow-ups do not count", () => {
    const scope = resolveScope(q);
    const p = computeProgress(q, scope, { aa: "no", "aa.max": 40, opt: "x" });
    // required and visible: aa, aa.how, svc, dpo (managed scope on) — opt is optional, aa.max hidden.
    expect(p.overall).toEqual({ required: 4, requiredAnswered: 1, visible: 5, answered: 2 });
    expect(p.sections.tech).toEqual({ required: 3, requiredAnswered: 1, visible: 4, answered: 2 });
    expect(percent(p.overall)).toBe(25);
  });

  it("makes an optional part's questions optional when the scope flag is off", () => {
    const p = computeProgress(q, resolveScope(q, { managed: false }), {});
    expect(p.sections.legal).toEqual({ required: 0, requiredAnswered: 0, visible: 1, answered: 0 });
    expect(percent(p.sections.legal!)).toBe(100);
  });

  it("treats empty strings and empty selections as unanswered", () => {
    const p = computeProgress(q, resolveScope(q), { aa: "", svc: [] });
    expect(p.overall.answered).toBe(0);
  });
});

describe("isQuestionVisible (one question, from its ancestors' answers)", () => {
  const file = "questionnaires/infrastructure-provider/1.0.0.yaml";
  const parsed = parseQuestionnaireFile({ file, text: readFileSync(path.join(import.meta.dirname, "..", "..", file), "utf8") });
  if (!parsed.ok) throw new Error("the questionnaire does not parse");
  const real = parsed.questionnaire;

  // Random answers to every yes/no and choice question (the ones conditions read), random scope
  // flags: the single-question walk must agree with the whole-questionnaire rule every time.
  function randomAnswers(def: TQuestionnaire, seed: number): TAnswerMap {
    let x = seed;
    const rand = () => ((x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const answers: Record<string, string | string[] | null> = {};
    for (const { question } of walkQuestions(def)) {
      const r = rand();
      if (r < 0.2) continue;
      if (question.type === "yes_no") answers[question.id] = r < 0.6 ? "yes" : "no";
      const ids = (question.choices ?? []).map((c) => c.id);
      if (question.type === "single_choice" && ids.length) answers[question.id] = ids[Math.floor(rand() * ids.length)]!;
      if (question.type === "multiple_choice") answers[question.id] = ids.filter(() => rand() < 0.4);
    }
    return answers;
  }

  for (const [name, def] of [["the test questionnaire", q], ["infrastructure-provider 1.0.0", real]] as const) {
    it(`agrees with computeQuestionStates on every question of ${name}`, () => {
      const index = questionIndex(def);
      let shown = 0;
      let hidden = 0;
      for (let seed = 1; seed <= 60; seed++) {
        const scope = Object.fromEntries(def.scopes.map((s, i) => [s.id, ((seed >> i) & 1) === 1]));
        const answers = randomAnswers(def, seed);
        for (const [id, state] of computeQuestionStates(def, scope, answers)) {
          expect(isQuestionVisible(index, scope, answers, id), `${id} (seed ${seed})`).toBe(state.visible);
          if (state.visible) shown++;
          else hidden++;
        }
      }
      // Both outcomes occurred, so the comparison above covered hidden follow-ups too.
      expect(shown).toBeGreaterThan(0);
      expect(hidden).toBeGreaterThan(0);
    });
  }

  it("says no for a question the questionnaire does not have", () => {
    expect(isQuestionVisible(questionIndex(q), resolveScope(q), {}, "nope")).toBe(false);
  });
});
