import { Badge } from "@/components/ui/badge";
import { RATING_LABELS, VERDICT_LABELS, type TRatingValue, type TVerdictValue } from "@/lib/review/schemas";

const RATING_VARIANTS: Record<TRatingValue, "success" | "warning" | "destructive" | "muted"> = {
  ACCEPTABLE: "success",
  NEEDS_CLARIFICATION: "warning",
  NOT_ACCEPTABLE: "destructive",
  NOT_APPLICABLE: "muted",
};

export function RatingBadge({ rating }: { rating: TRatingValue | null }) {
  if (!rating) return <Badge variant="outline">Unrated</Badge>;
  return <Badge variant={RATING_VARIANTS[rating]}>{RATING_LABELS[rating]}</Badge>;
}

const VERDICT_VARIANTS: Record<TVerdictValue, "success" | "warning" | "destructive"> = {
  SUITABLE: "success",
  SUITABLE_WITH_CONDITIONS: "warning",
  NOT_SUITABLE: "destructive",
};

export function VerdictBadge({ verdict }: { verdict: TVerdictValue | null }) {
  if (!verdict) return <Badge variant="outline">No verdict yet</Badge>;
  return <Badge variant={VERDICT_VARIANTS[verdict]}>{VERDICT_LABELS[verdict]}</Badge>;
}
