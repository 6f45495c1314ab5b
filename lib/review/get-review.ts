import "server-only";
import { selectSaved, toSaved, type TSavedAnswer } from "@/lib/answers/save-answer";
import type { TAttachmentView } from "@/lib/attachments/types";
import { getEvidenceStatus } from "@/lib/attachments/get-evidence-status";
import type { TEvidenceItemStatus, TEvidenceStatus } from "@/lib/attachments/evidence-status";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { isOverdue, dateToDay } from "@/lib/clarifications/due-date";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { walkQuestions, type TQuestion } from "@/lib/questionnaires/schema";
import { computeQuestionStates, isAnswered, type TAnswerValue } from "@/lib/questionnaires/visibility";
import { RATING_VALUES, type TRatingValue } from "./schemas";
import type { TRatingView, TVerdictView } from "./types";
import { selectRating, selectVerdict, toRatingView, toVerdictView } from "./views";

/** Why a question is listed under "needs attention first", in the order the list is sorted. */
export const ATTENTION_REASONS = ["NOT_ACCEPTABLE", "NEEDS_CLARIFICATION", "UNANSWERED_REQUIRED", "UNRATED"] as const;
export type TAttentionReason = (typeof ATTENTION_REASONS)[number];

export interface TReviewQuestion {
  id: string;
  sectionId: string;
  /** The question as the answer is shown with it: text, type, choices; follow-ups are rows of their own. */
  question: TQuestion;
  /** 0 for a top-level question, 1 for its follow-up, … */
  depth: number;
  required: boolean;
  answer: TSavedAnswer | null;
  answered: boolean;
  rating: TRatingView | null;
  /** Clarification threads on this question that are not resolved. */
  openClarifications: number;
  /** Files attached to this question. */
  files: Pick<TAttachmentView, "id" | "fileName" | "size" | "uploadedBy" | "uploadedByProvider">[];
  attention: TAttentionReason | null;
}

export interface TReviewSection {
  id: string;
  title: string;
  questions: TReviewQuestion[];
}

export interface TReview {
  audit: {
    id: string;
    providerName: string;
    questionnaire: string;
    status: "IN_PROGRESS" | "SIGNED_OFF";
    signedOffAt: string | null;
    signedOffBy: string | null;
    signOffCount: number;
  };
  sections: TReviewSection[];
  counts: Record<TRatingValue, number> & {
    /** Shown questions, and how many of them are answered. */
    visible: number;
    answered: number;
    /** Answered (shown) questions without a rating. */
    unratedAnswered: number;
    /** Required (shown) questions without an answer, rated or not. */
    unansweredRequired: number;
  };
  clarifications: { open: number; overdue: number };
  evidence: {
    counts: Record<TEvidenceStatus, number>;
    /** The checklist as the overview shows it (read-only here). */
    items: TEvidenceItemStatus[];
  };
  /** Questions to look at first: not acceptable, needs clarification, required but unanswered, answered but unrated; each in questionnaire order. */
  attention: { questionId: string; sectionId: string; text: string; reason: TAttentionReason }[];
  verdict: TVerdictView | null;
  /** What the viewer may do now (false for everything while signed off, except reopening). */
  can: { rate: boolean; recordVerdict: boolean; signOff: boolean; reopen: boolean };
}

/**
 * Everything the review page shows, for anyone with view access to the audit (members read the
 * ratings and the verdict; only reviewers and admins change them). Counts and the attention list
 * take only the questions the audit shows now (its scope and its answers): ratings of follow-ups
 * hidden since are kept but not counted, like their answers.
 *
 * A question is listed once under "needs attention", for its first reason: its rating (not
 * acceptable, needs clarification) comes first; a question rated acceptable or not applicable is
 * settled even if unanswered.
 */
export async function getReview({ user, auditId, now = new Date() }: { user: TCurrentUser; auditId: string; now?: Date }): Promise<TReview> {
  const access = await requireAuditAccess({ user, auditId, need: "view" });
  const db = getDb();
  const [audit, answerRows, ratingRows, verdictRow, threads, evidence] = await Promise.all([
    db.audit.findUniqueOrThrow({
      where: { id: access.auditId },
      select: {
        id: true,
        providerName: true,
        questionnaireVersionId: true,
        scope: true,
        status: true,
        signedOffAt: true,
        signOffCount: true,
        signedOffBy: { select: { name: true, email: true } },
      },
    }),
    db.answer.findMany({ where: { auditId: access.auditId }, select: selectSaved }),
    db.answerRating.findMany({ where: { auditId: access.auditId }, select: selectRating }),
    db.auditVerdict.findUnique({ where: { auditId: access.auditId }, select: selectVerdict }),
    db.clarification.findMany({ where: { auditId: access.auditId, status: { not: "RESOLVED" } }, select: { questionId: true, status: true, dueOn: true } }),
    getEvidenceStatus({ user, auditId: access.auditId, now }),
  ]);
  const version = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const definition = version.definition;
  const scope = audit.scope as Record<string, boolean>;

  const answers = new Map(answerRows.map((r) => [r.questionId, toSaved(r)]));
  const ratings = new Map(ratingRows.map((r) => [r.questionId, toRatingView(r)]));
  const openByQuestion = new Map<string, number>();
  for (const t of threads) openByQuestion.set(t.questionId, (openByQuestion.get(t.questionId) ?? 0) + 1);
  const values: Record<string, TAnswerValue> = Object.fromEntries([...answers].map(([id, a]) => [id, a.value]));
  const states = computeQuestionStates(definition, scope, values);

  const counts: TReview["counts"] = { ...zeroRatings(), visible: 0, answered: 0, unratedAnswered: 0, unansweredRequired: 0 };
  const sections = new Map<string, TReviewSection>(definition.sections.map((s) => [s.id, { id: s.id, title: s.title, questions: [] }]));
  const depth = new Map<string, number>();
  for (const { question, parent, section } of walkQuestions(definition)) {
    depth.set(question.id, parent ? depth.get(parent.id)! + 1 : 0);
    const state = states.get(question.id)!;
    if (!state.visible) continue;
    const answer = answers.get(question.id) ?? null;
    const answered = isAnswered(answer?.value);
    const rating = ratings.get(question.id) ?? null;
    counts.visible += 1;
    if (answered) counts.answered += 1;
    if (rating) counts[rating.rating] += 1;
    if (answered && !rating) counts.unratedAnswered += 1;
    if (state.required && !answered) counts.unansweredRequired += 1;
    sections.get(section.id)!.questions.push({
      id: question.id,
      sectionId: section.id,
      // What the answer is shown with: its type and choices (not guidance, references or follow-ups).
      question: { id: question.id, text: question.text, type: question.type, required: question.required, choices: question.choices, followUps: [] },
      depth: depth.get(question.id)!,
      required: state.required,
      answer,
      answered,
      rating,
      openClarifications: openByQuestion.get(question.id) ?? 0,
      files: (evidence.byQuestion[question.id] ?? []).map(({ id, fileName, size, uploadedBy, uploadedByProvider }) => ({ id, fileName, size, uploadedBy, uploadedByProvider })),
      attention: attentionReason(rating?.rating ?? null, answered, state.required),
    });
  }

  const all = [...sections.values()].flatMap((s) => s.questions);
  const attention = ATTENTION_REASONS.flatMap((reason) =>
    all.filter((q) => q.attention === reason).map((q) => ({ questionId: q.id, sectionId: q.sectionId, text: q.question.text, reason })),
  );

  const signedOff = audit.status === "SIGNED_OFF";
  return {
    audit: {
      id: audit.id,
      providerName: audit.providerName,
      questionnaire: `${version.title} ${version.version}`,
      status: audit.status,
      signedOffAt: audit.signedOffAt?.toISOString() ?? null,
      signedOffBy: audit.signedOffBy ? (audit.signedOffBy.name ?? audit.signedOffBy.email) : null,
      signOffCount: audit.signOffCount,
    },
    sections: [...sections.values()],
    counts,
    clarifications: {
      open: threads.length,
      overdue: threads.filter((t) => isOverdue(t.dueOn ? dateToDay(t.dueOn) : null, t.status, now)).length,
    },
    evidence: {
      counts: evidence.counts,
      items: evidence.items,
    },
    attention,
    verdict: verdictRow ? toVerdictView(verdictRow) : null,
    can: {
      rate: access.can.review && !signedOff,
      recordVerdict: access.can.review && !signedOff,
      signOff: access.can.review && !signedOff,
      reopen: hasRole(user, "ADMIN") && signedOff,
    },
  };
}

function zeroRatings(): Record<TRatingValue, number> {
  return Object.fromEntries(RATING_VALUES.map((r) => [r, 0])) as Record<TRatingValue, number>;
}

function attentionReason(rating: TRatingValue | null, answered: boolean, required: boolean): TAttentionReason | null {
  if (rating === "NOT_ACCEPTABLE" || rating === "NEEDS_CLARIFICATION") return rating;
  if (rating) return null;
  if (required && !answered) return "UNANSWERED_REQUIRED";
  return answered ? "UNRATED" : null;
}
