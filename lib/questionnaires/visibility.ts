import type { TIndexedQuestion } from "./question-index";
import { walkQuestions, type TCondition, type TQuestion, type TQuestionnaire } from "./schema";

// Which questions an audit shows and which it requires, from its scope flags and its answers.
// Pure: the renderer (client) and the server (progress, validation) use the same rules.

export type TAnswerValue = string | number | string[] | null;
/** questionId → current value; a missing key means never answered. */
export type TAnswerMap = Readonly<Record<string, TAnswerValue | undefined>>;
/** scopeId → whether the audit includes it. */
export type TScopeFlags = Readonly<Record<string, boolean>>;

/** Every scope of the questionnaire set to the given flag or its default. */
export function resolveScope(q: Pick<TQuestionnaire, "scopes">, flags: Partial<Record<string, boolean>> = {}): Record<string, boolean> {
  return Object.fromEntries(q.scopes.map((s) => [s.id, flags[s.id] ?? s.default]));
}

export function isAnswered(value: TAnswerValue | undefined): boolean {
  if (value === null || value === undefined) return false;
  if (typeof value === "string") return value.trim() !== "";
  if (Array.isArray(value)) return value.length > 0;
  return true;
}

export function conditionHolds(when: TCondition, parentValue: TAnswerValue | undefined): boolean {
  const wanted = when.anyOf ?? (when.equals !== undefined ? [when.equals] : []);
  if (typeof parentValue === "string") return wanted.includes(parentValue);
  if (Array.isArray(parentValue)) return parentValue.some((v) => wanted.includes(v));
  return false;
}

export interface TQuestionState {
  question: TQuestion;
  sectionId: string;
  visible: boolean;
  /** Required and visible, in a part the audit's scope does not make optional. */
  required: boolean;
}

/** The state of every question, in questionnaire order (parents before follow-ups). */
export function computeQuestionStates(
  q: Pick<TQuestionnaire, "sections" | "parts">,
  scope: TScopeFlags,
  answers: TAnswerMap,
): Map<string, TQuestionState> {
  const optionalParts = new Set(q.parts.filter((p) => !scope[p.optionalUnless]).map((p) => p.id));
  const states = new Map<string, TQuestionState>();
  for (const { question, parent, section } of walkQuestions(q)) {
    const parentState = parent ? states.get(parent.id) : undefined;
    const visible =
      (parentState ? parentState.visible : true) &&
      (question.scope === undefined || scope[question.scope] === true) &&
      (question.when === undefined || conditionHolds(question.when, answers[parent!.id]));
    const inOptionalPart = section.part !== undefined && optionalParts.has(section.part);
    states.set(question.id, {
      question,
      sectionId: section.id,
      visible,
      required: visible && question.required && !inOptionalPart,
    });
  }
  return states;
}

/**
 * Whether one question is shown: computeQuestionStates' rule for a single question, walking up
 * its parents only, so a caller needs only the answers of its ancestors (ancestorIds).
 */
export function isQuestionVisible(index: Map<string, TIndexedQuestion>, scope: TScopeFlags, answers: TAnswerMap, questionId: string): boolean {
  for (let entry = index.get(questionId); entry; entry = entry.parentId === null ? undefined : index.get(entry.parentId)) {
    const { question, parentId } = entry;
    if (question.scope !== undefined && scope[question.scope] !== true) return false;
    if (question.when !== undefined && (parentId === null || !conditionHolds(question.when, answers[parentId]))) return false;
    if (parentId === null) return true;
  }
  return false;
}
