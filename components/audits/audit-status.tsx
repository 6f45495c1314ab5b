import { Badge } from "@/components/ui/badge";

const LABELS: Record<string, { label: string; variant: "default" | "muted" | "success" | "warning" }> = {
  IN_PROGRESS: { label: "In progress", variant: "default" },
  SIGNED_OFF: { label: "Signed off", variant: "success" },
};

export function AuditStatus({ status }: { status: string }) {
  const s = LABELS[status] ?? { label: status, variant: "muted" as const };
  return <Badge variant={s.variant}>{s.label}</Badge>;
}
