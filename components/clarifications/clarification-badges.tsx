import { CalendarClock } from "lucide-react";
import { Badge } from "@/components/ui/badge";

type TStatus = "OPEN" | "ANSWERED" | "RESOLVED";

// The same three states read differently to the two sides of the thread.
const LABELS: Record<"member" | "provider", Record<TStatus, { label: string; variant: "default" | "warning" | "success" | "muted" }>> = {
  member: {
    OPEN: { label: "Open", variant: "warning" },
    ANSWERED: { label: "Answered", variant: "default" },
    RESOLVED: { label: "Resolved", variant: "success" },
  },
  provider: {
    OPEN: { label: "Waiting for your reply", variant: "warning" },
    ANSWERED: { label: "Replied", variant: "default" },
    RESOLVED: { label: "Closed", variant: "muted" },
  },
};

export function ClarificationStatusBadge({ status, audience }: { status: TStatus; audience: "member" | "provider" }) {
  const s = LABELS[audience][status];
  return <Badge variant={s.variant}>{s.label}</Badge>;
}

/** The due date; an overdue one says so in words, not only in red. */
export function DueDate({ dueOn, overdue }: { dueOn: string | null; overdue: boolean }) {
  if (!dueOn) return null;
  return (
    <Badge variant={overdue ? "destructive" : "outline"} className="gap-1">
      <CalendarClock aria-hidden className="size-3.5" />
      {overdue ? "Overdue: was due " : "Due "}
      <time dateTime={dueOn}>{dueOn}</time>
    </Badge>
  );
}
