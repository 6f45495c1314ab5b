import type { TRatingValue, TVerdictValue } from "./schemas";

// What the UI gets of a rating and a verdict: plain JSON. Pure (client components import it).

export interface TRatingView {
  questionId: string;
  rating: TRatingValue;
  note: string | null;
  revision: number;
  /** ISO 8601. */
  ratedAt: string;
  ratedBy: string | null;
}

export interface TVerdictView {
  verdict: TVerdictValue;
  rationale: string;
  conditions: string[];
  revision: number;
  /** ISO 8601. */
  decidedAt: string;
  decidedBy: string | null;
}

/** What a stale rating or verdict sends back in CONFLICT's details: the one saved now. */
export interface TRatingConflict {
  current: TRatingView | null;
}
export interface TVerdictConflict {
  current: TVerdictView | null;
}
