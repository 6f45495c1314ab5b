import { cn } from "@/lib/utils";

export function Progress({ value, label, className }: { value: number; label: string; className?: string }) {
  const v = Math.max(0, Math.min(100, Math.round(value)));
  return (
    <div
      role="progressbar"
      aria-label={label}
      aria-valuemin={0}
      aria-valuemax={100}
      aria-valuenow={v}
      className={cn("h-2 w-full overflow-hidden rounded-full bg-border", className)}
    >
      <div className={cn("h-full rounded-full transition-[width]", v === 100 ? "bg-success" : "bg-primary")} style={{ width: `${v}%` }} />
    </div>
  );
}
