import "server-only";
import type { TEvidenceStatus } from "@/lib/attachments/evidence-status";
import { computeProgress, type TProgress } from "@/lib/questionnaires/progress";
import { walkQuestions, type TEvidenceItem, type TGroup, type TQuestion, type TSection } from "@/lib/questionnaires/schema";
import { computeQuestionStates, isAnswered, resolveScope, type TAnswerMap, type TAnswerValue } from "@/lib/questionnaires/visibility";
import { answerLines } from "./labels";
import {
  RATINGS,
  type TEvidencePackageData,
  type TPackageAnswer,
  type TPackageAttachment,
  type TPackageClarification,
  type TPackageRating,
  type TRating,
} from "./package-data";

// What the package says about each question, decided once so that the PDF and the manifest
// cannot disagree. Visibility and "required" come from lib/questionnaires/visibility.ts, the
// same rules the app applies while the audit is answered.

export type TQuestionStatus = "answered" | "unanswered" | "skipped";

export interface TQuestionView {
  question: TQuestion;
  /** "1.7" for the 7th question of section 1, "1.7.2" for its 2nd follow-up. */
  number: string;
  depth: number;
  sectionId: string;
  groupId: string;
  parentId: string | null;
  status: TQuestionStatus;
  /** Why a skipped question is not part of this audit. */
  skipReason: string | null;
  required: boolean;
  /** Visible answer value (null when unanswered or skipped). */
  value: TAnswerValue;
  /** The answer as read: one entry per line. */
  display: string[];
  answer: TPackageAnswer | null;
  rating: TPackageRating | null;
  /** Threads with the messages this package shows (internal notes only when asked for). */
  clarifications: TPackageClarification[];
  attachments: TAttachmentEntry[];
}

export interface TAttachmentEntry {
  attachment: TPackageAttachment;
  /** "A01": the attachment's label in the index and the prefix of its embedded name. */
  label: string;
  /** The name of the embedded file: unique, and the name `pdfdetach` saves it as. */
  embeddedName: string;
  /** The question it is attached to, if any. */
  question: TQuestionView | null;
  /** Titles of the checklist items it satisfies. */
  checklistItems: string[];
}

export interface TChecklistEntry {
  item: TEvidenceItem;
  status: TEvidenceStatus;
  attachments: TAttachmentEntry[];
  /** Numbers of the visible questions that ask for it. */
  askedBy: string[];
}

export interface TSectionView {
  section: TSection;
  number: number;
  /** Set when the section belongs to a part this audit's scope makes optional. */
  optionalNote: string | null;
  groups: { group: TGroup; questions: TQuestionView[] }[];
  progress: TProgress;
}

export interface TPackageCounts {
  progress: TProgress;
  skipped: number;
  ratings: Record<TRating | "unrated", number>;
  evidence: Record<TEvidenceStatus, number>;
  clarifications: Record<TPackageClarification["status"], number>;
}

export interface TPackageView {
  data: TEvidencePackageData;
  includeInternalNotes: boolean;
  scope: Record<string, boolean>;
  sections: TSectionView[];
  /** Every question in questionnaire order, parents before their follow-ups. */
  questions: TQuestionView[];
  attachments: TAttachmentEntry[];
  checklist: TChecklistEntry[];
  counts: TPackageCounts;
}

export function buildPackageView(data: TEvidencePackageData, { includeInternalNotes }: { includeInternalNotes: boolean }): TPackageView {
  const definition = data.questionnaire.definition;
  const scope = resolveScope(definition, data.scope);
  const values: TAnswerMap = Object.fromEntries(Object.entries(data.answers).map(([id, a]) => [id, a.value]));
  const states = computeQuestionStates(definition, scope, values);
  const progress = computeProgress(definition, scope, values);
  const optionalParts = new Map(definition.parts.filter((p) => !scope[p.optionalUnless]).map((p) => [p.id, p]));
  const scopeLabel = (id: string) => definition.scopes.find((s) => s.id === id)?.label ?? id;

  // Attachments: labelled in upload order, like the app lists them.
  const sorted = [...data.attachments].sort((a, b) => a.uploadedAt.localeCompare(b.uploadedAt) || a.id.localeCompare(b.id));
  const ids = new Set<string>();
  for (const a of sorted) {
    if (ids.has(a.id)) throw new Error(`attachment ${a.id} is listed twice`);
    ids.add(a.id);
  }
  const width = Math.max(2, String(sorted.length).length);
  const attachments: TAttachmentEntry[] = sorted.map((attachment, i) => {
    const label = `A${String(i + 1).padStart(width, "0")}`;
    return { attachment, label, embeddedName: `${label}-${embeddableName(attachment.fileName)}`, question: null, checklistItems: [] };
  });
  const attachmentById = new Map(attachments.map((a) => [a.attachment.id, a]));

  const sectionViews = new Map<string, TSectionView>();
  const groupViews = new Map<string, { group: TGroup; questions: TQuestionView[] }>();
  definition.sections.forEach((section, i) => {
    const part = section.part ? optionalParts.get(section.part) : undefined;
    const groups = section.groups.map((group) => {
      const g = { group, questions: [] as TQuestionView[] };
      groupViews.set(group.id, g);
      return g;
    });
    sectionViews.set(section.id, {
      section,
      number: i + 1,
      optionalNote: part
        ? `Optional for this audit: part of “${part.title}”, which is required only when “${scopeLabel(part.optionalUnless)}” applies.`
        : null,
      groups,
      progress: progress.sections[section.id]!,
    });
  });

  const questions: TQuestionView[] = [];
  const byId = new Map<string, TQuestionView>();
  const childCount = new Map<string, number>();
  for (const { question, parent, section, group } of walkQuestions(definition)) {
    const state = states.get(question.id)!;
    const parentView = parent ? byId.get(parent.id)! : undefined;
    const siblingKey = parentView ? parentView.question.id : `section:${section.id}`;
    const position = (childCount.get(siblingKey) ?? 0) + 1;
    childCount.set(siblingKey, position);
    const number = parentView ? `${parentView.number}.${position}` : `${sectionViews.get(section.id)!.number}.${position}`;

    let status: TQuestionStatus;
    let skipReason: string | null = null;
    if (!state.visible) {
      status = "skipped";
      if (parentView && parentView.status === "skipped") skipReason = `Skipped with ${parentView.number}.`;
      else if (question.scope !== undefined && scope[question.scope] !== true)
        skipReason = `Out of scope: asked only when “${scopeLabel(question.scope)}” applies.`;
      else if (question.when && parent) skipReason = `Skipped: asked only when ${parentView!.number} is answered ${conditionText(question, parent)}.`;
      else skipReason = "Skipped.";
    } else {
      status = isAnswered(values[question.id]) ? "answered" : "unanswered";
    }

    const visible = status !== "skipped";
    const answer = visible && status === "answered" ? (data.answers[question.id] ?? null) : null;
    const value = answer ? answer.value : null;
    const threads = visible
      ? (data.clarifications[question.id] ?? [])
          .map((t) => ({ ...t, messages: t.messages.filter((m) => includeInternalNotes || !m.internal) }))
          .filter((t) => t.messages.length > 0)
      : [];
    const view: TQuestionView = {
      question,
      number,
      depth: parentView ? parentView.depth + 1 : 0,
      sectionId: section.id,
      groupId: group.id,
      parentId: parent?.id ?? null,
      status,
      skipReason,
      required: state.required,
      value,
      display: value === null ? [] : answerLines(question, value),
      answer,
      // A rating or a thread of a question the audit no longer shows is not part of the record.
      rating: visible ? (data.ratings[question.id] ?? null) : null,
      clarifications: threads,
      attachments: [],
    };
    questions.push(view);
    byId.set(question.id, view);
    groupViews.get(group.id)!.questions.push(view);
  }

  for (const entry of attachments) {
    const qid = entry.attachment.questionId;
    if (qid !== null) {
      const q = byId.get(qid);
      if (q) {
        entry.question = q;
        q.attachments.push(entry);
      }
    }
  }

  const checklistById = new Map(data.checklist.map((c) => [c.id, c]));
  const checklist: TChecklistEntry[] = definition.evidence.map((item) => {
    const given = checklistById.get(item.id);
    const files = (given?.attachmentIds ?? []).map((id) => {
      const entry = attachmentById.get(id);
      if (!entry) throw new Error(`checklist item "${item.id}" names attachment ${id}, which is not in the package`);
      entry.checklistItems.push(item.title);
      return entry;
    });
    return {
      item,
      status: given?.status ?? "missing",
      attachments: files,
      askedBy: questions.filter((q) => q.status !== "skipped" && q.question.evidence?.includes(item.id)).map((q) => q.number),
    };
  });

  const ratings = Object.fromEntries([...RATINGS, "unrated"].map((r) => [r, 0])) as TPackageCounts["ratings"];
  const clarifications: TPackageCounts["clarifications"] = { open: 0, answered: 0, resolved: 0 };
  let skipped = 0;
  for (const q of questions) {
    if (q.status === "skipped") {
      skipped++;
      continue;
    }
    ratings[q.rating?.rating ?? "unrated"]++;
    for (const t of q.clarifications) clarifications[t.status]++;
  }
  const evidence: TPackageCounts["evidence"] = { ok: 0, expiring: 0, expired: 0, missing: 0 };
  for (const c of checklist) evidence[c.status]++;

  return {
    data,
    includeInternalNotes,
    scope,
    sections: [...sectionViews.values()],
    questions,
    attachments,
    checklist,
    counts: { progress: progress.overall, skipped, ratings, evidence, clarifications },
  };
}

function conditionText(question: TQuestion, parent: TQuestion): string {
  const wanted = question.when?.anyOf ?? (question.when?.equals !== undefined ? [question.when.equals] : []);
  const words = wanted.map((v) => `“${answerLines(parent, v)[0] ?? v}”`);
  return words.length > 1 ? `${words.slice(0, -1).join(", ")} or ${words.at(-1)}` : (words[0] ?? "");
}

/**
 * The attachment's name as an embedded file. Names are already cleaned at upload; this also
 * keeps `pdfdetach -saveall` from writing outside its directory whatever the name holds.
 */
function embeddableName(fileName: string): string {
  const cleaned = fileName.replace(/[\u0000-\u001f\u007f/\\]/g, "_").trim();
  return cleaned === "" || cleaned === "." || cleaned === ".." ? "file" : cleaned;
}
