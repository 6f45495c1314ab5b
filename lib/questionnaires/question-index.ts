import { walkQuestions, type TQuestion, type TQuestionnaire } from "./schema";

export interface TIndexedQuestion {
  question: TQuestion;
  sectionId: string;
  /** The follow-up's parent question; null for a top-level question. */
  parentId: string | null;
}

// Definitions are immutable and cached per version, so their index can be kept beside them.
const indexes = new WeakMap<object, Map<string, TIndexedQuestion>>();

/** Question id → the question and its section, built once per questionnaire definition. */
export function questionIndex(q: Pick<TQuestionnaire, "sections">): Map<string, TIndexedQuestion> {
  let index = indexes.get(q);
  if (!index) {
    index = new Map([...walkQuestions(q)].map((w) => [w.question.id, { question: w.question, sectionId: w.section.id, parentId: w.parent?.id ?? null }]));
    indexes.set(q, index);
  }
  return index;
}

/** The question's parent, grandparent, …: the answers its visibility depends on. */
export function ancestorIds(index: Map<string, TIndexedQuestion>, questionId: string): string[] {
  const ids: string[] = [];
  for (let id = index.get(questionId)?.parentId ?? null; id !== null; id = index.get(id)?.parentId ?? null) ids.push(id);
  return ids;
}
