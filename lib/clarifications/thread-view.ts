import "server-only";
import type { Prisma } from "@/lib/db";
import type { ClarificationStatus } from "@/lib/generated/prisma/client";
import { questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { dateToDay, isOverdue } from "./due-date";

// What the two listings (members', provider's) share: the thread's columns, its order, and how
// it reads. The messages are each listing's own business.

/** What a thread is about, as both views show it. */
export interface TThreadBase {
  id: string;
  questionId: string;
  /** The question's text as written in the questionnaire (may hold `inline code`). */
  questionText: string;
  sectionId: string;
  sectionTitle: string;
  status: ClarificationStatus;
  /** "YYYY-MM-DD" or null. */
  dueOn: string | null;
  /** Due before today (UTC) and still waiting for the provider (OPEN). */
  overdue: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * Open first, then answered, then resolved (Postgres sorts an enum in declaration order:
 * OPEN, ANSWERED, RESOLVED); within each, by due date (earliest, so overdue, first; undated
 * last), then oldest first.
 */
export const threadOrder: Prisma.ClarificationOrderByWithRelationInput[] = [
  { status: "asc" },
  { dueOn: { sort: "asc", nulls: "last" } },
  { createdAt: "asc" },
  { id: "asc" },
];
export const messageOrder: Prisma.ClarificationMessageOrderByWithRelationInput[] = [{ createdAt: "asc" }, { id: "asc" }];

export const threadColumns = { id: true, questionId: true, status: true, dueOn: true, createdAt: true, updatedAt: true } as const;

export function threadBase(
  r: { id: string; questionId: string; status: ClarificationStatus; dueOn: Date | null; createdAt: Date; updatedAt: Date },
  definition: TQuestionnaire,
  now: Date,
): TThreadBase {
  const entry = questionIndex(definition).get(r.questionId);
  const section = entry ? definition.sections.find((s) => s.id === entry.sectionId) : undefined;
  const dueOn = r.dueOn ? dateToDay(r.dueOn) : null;
  return {
    id: r.id,
    questionId: r.questionId,
    questionText: entry?.question.text ?? r.questionId,
    sectionId: entry?.sectionId ?? "",
    sectionTitle: section?.title ?? "",
    status: r.status,
    dueOn,
    overdue: isOverdue(dueOn, r.status, now),
    createdAt: r.createdAt.toISOString(),
    updatedAt: r.updatedAt.toISOString(),
  };
}
