import { walkQuestions, type TQuestion, type TQuestionnaire } from "./schema";

export interface TIndexedQuestion {
  question: TQuestion;
  sectionId: string;
}

// Definitions are immutable and cached per version, so their index can be kept beside them.
const indexes = new WeakMap<object, Map<string, TIndexedQuestion>>();

/** Question id → the question and its section, built once per questionnaire definition. */
export function questionIndex(q: Pick<TQuestionnaire, "sections">): Map<string, TIndexedQuestion> {
  let index = indexes.get(q);
  if (!index) {
    index = new Map([...walkQuestions(q)].map((w) => [w.question.id, { question: w.question, sectionId: w.section.id }]));
    indexes.set(q, index);
  }
  return index;
}
