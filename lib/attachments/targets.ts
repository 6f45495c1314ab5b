import { walkQuestions, type TQuestion, type TQuestionnaire } from "@/lib/questionnaires/schema";

// What an attachment is attached to, and who may reach it through an invite link. Pure.
//
// A question belongs to one section. An evidence-checklist item is audit-wide: it belongs to
// every section that has a question asking for it (`evidence: [item]`). So an invite reaches
// an item when one of its delegated sections asks for it — the Evidence section asks for every
// item, and e.g. the Organizational section asks for "certificates". An invite for all
// sections (no delegation) reaches everything. docs/decisions/007-attachment-storage.md.

export type TAttachmentTarget = { questionId: string; evidenceItemId: null } | { questionId: null; evidenceItemId: string };

export interface TTargetIndex {
  questions: Map<string, { question: TQuestion; sectionId: string }>;
  evidenceItems: Map<string, { title: string; sectionIds: Set<string>; questionIds: string[] }>;
}

// Definitions are immutable and cached per version, so their index can be kept beside them.
const indexes = new WeakMap<object, TTargetIndex>();

export function targetIndex(definition: Pick<TQuestionnaire, "sections" | "evidence">): TTargetIndex {
  let index = indexes.get(definition);
  if (!index) {
    const evidenceItems: TTargetIndex["evidenceItems"] = new Map(
      definition.evidence.map((e) => [e.id, { title: e.title, sectionIds: new Set<string>(), questionIds: [] as string[] }]),
    );
    const questions: TTargetIndex["questions"] = new Map();
    for (const { question, section } of walkQuestions(definition)) {
      questions.set(question.id, { question, sectionId: section.id });
      for (const itemId of question.evidence ?? []) {
        const item = evidenceItems.get(itemId);
        item?.sectionIds.add(section.id);
        item?.questionIds.push(question.id);
      }
    }
    index = { questions, evidenceItems };
    indexes.set(definition, index);
  }
  return index;
}

/** The target named by an upload's fields, or why it is unknown (a field error message). */
export function findTarget(
  index: TTargetIndex,
  fields: { questionId?: string; evidenceItemId?: string },
): { ok: true; target: TAttachmentTarget } | { ok: false; field: "questionId" | "evidenceItemId"; message: string } {
  if (fields.questionId !== undefined) {
    if (!index.questions.has(fields.questionId)) return { ok: false, field: "questionId", message: `unknown question "${fields.questionId}"` };
    return { ok: true, target: { questionId: fields.questionId, evidenceItemId: null } };
  }
  if (fields.evidenceItemId !== undefined && index.evidenceItems.has(fields.evidenceItemId)) {
    return { ok: true, target: { questionId: null, evidenceItemId: fields.evidenceItemId } };
  }
  return { ok: false, field: "evidenceItemId", message: `unknown evidence item "${fields.evidenceItemId ?? ""}"` };
}

/**
 * May an invite delegated `sections` (empty: all) reach this target? Targets unknown to the
 * questionnaire are never reachable.
 */
export function isTargetDelegated(index: TTargetIndex, target: { questionId: string | null; evidenceItemId: string | null }, sections: readonly string[]): boolean {
  if (target.questionId !== null) {
    const q = index.questions.get(target.questionId);
    return !!q && (sections.length === 0 || sections.includes(q.sectionId));
  }
  if (target.evidenceItemId !== null) {
    const item = index.evidenceItems.get(target.evidenceItemId);
    return !!item && (sections.length === 0 || sections.some((s) => item.sectionIds.has(s)));
  }
  return false;
}
