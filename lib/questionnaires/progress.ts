import type { TQuestionnaire } from "./schema";
import { computeQuestionStates, isAnswered, type TAnswerMap, type TScopeFlags } from "./visibility";

export interface TProgress {
  /** Visible questions that are required, and how many of them are answered. */
  required: number;
  requiredAnswered: number;
  /** All visible questions, and how many are answered (required or not). */
  visible: number;
  answered: number;
}

export interface TAuditProgress {
  overall: TProgress;
  sections: Record<string, TProgress>;
}

const empty = (): TProgress => ({ required: 0, requiredAnswered: 0, visible: 0, answered: 0 });

/** Progress counts only what the audit shows: hidden follow-ups keep their answers but do not count. */
export function computeProgress(
  q: Pick<TQuestionnaire, "sections" | "parts">,
  scope: TScopeFlags,
  answers: TAnswerMap,
): TAuditProgress {
  const sections: Record<string, TProgress> = Object.fromEntries(q.sections.map((s) => [s.id, empty()]));
  const overall = empty();
  for (const state of computeQuestionStates(q, scope, answers).values()) {
    if (!state.visible) continue;
    const answered = isAnswered(answers[state.question.id]);
    for (const p of [sections[state.sectionId]!, overall]) {
      p.visible += 1;
      if (answered) p.answered += 1;
      if (state.required) {
        p.required += 1;
        if (answered) p.requiredAnswered += 1;
      }
    }
  }
  return { overall, sections };
}

/** Whole percent of required questions answered; 100 when nothing is required. */
export function percent(p: TProgress): number {
  return p.required === 0 ? 100 : Math.floor((p.requiredAnswered / p.required) * 100);
}
