import "server-only";
import type { TRatingView, TVerdictView } from "./types";

/** The columns toRatingView reads; use as Prisma `select`. */
export const selectRating = {
  questionId: true,
  rating: true,
  note: true,
  revision: true,
  ratedAt: true,
  ratedBy: { select: { name: true, email: true } },
} as const;

export function toRatingView(row: {
  questionId: string;
  rating: TRatingView["rating"];
  note: string | null;
  revision: number;
  ratedAt: Date;
  ratedBy: { name: string | null; email: string | null } | null;
}): TRatingView {
  return {
    questionId: row.questionId,
    rating: row.rating,
    note: row.note,
    revision: row.revision,
    ratedAt: row.ratedAt.toISOString(),
    ratedBy: row.ratedBy ? (row.ratedBy.name ?? row.ratedBy.email) : null,
  };
}

/** The columns toVerdictView reads; use as Prisma `select`. */
export const selectVerdict = {
  verdict: true,
  rationale: true,
  conditions: true,
  revision: true,
  decidedAt: true,
  decidedBy: { select: { name: true, email: true } },
} as const;

export function toVerdictView(row: {
  verdict: TVerdictView["verdict"];
  rationale: string;
  conditions: string[];
  revision: number;
  decidedAt: Date;
  decidedBy: { name: string | null; email: string | null } | null;
}): TVerdictView {
  return {
    verdict: row.verdict,
    rationale: row.rationale,
    conditions: row.conditions,
    revision: row.revision,
    decidedAt: row.decidedAt.toISOString(),
    decidedBy: row.decidedBy ? (row.decidedBy.name ?? row.decidedBy.email) : null,
  };
}
