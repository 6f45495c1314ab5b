import Link from "next/link";
import { CheckCircle2 } from "lucide-react";
import type { TProgress } from "@/lib/questionnaires/progress";
import { percent } from "@/lib/questionnaires/progress";
import { cn } from "@/lib/utils";

export interface TSectionNavItem {
  id: string;
  title: string;
  optional: boolean;
  progress: TProgress;
}

/** The audit's sections with their progress; the current one is marked for screen readers too. */
export function SectionNav({ basePath, sections, current }: { basePath: string; sections: TSectionNavItem[]; current?: string }) {
  return (
    <nav aria-label="Sections">
      <ol className="space-y-1">
        {sections.map((s) => {
          const pct = percent(s.progress);
          const done = s.progress.required > 0 && pct === 100;
          return (
            <li key={s.id}>
              <Link
                href={`${basePath}/sections/${s.id}`}
                aria-current={s.id === current ? "page" : undefined}
                className={cn(
                  "flex items-center justify-between gap-2 rounded-md px-3 py-2 text-sm hover:bg-muted",
                  s.id === current && "bg-primary/10 font-medium text-primary",
                )}
              >
                <span className="min-w-0">
                  <span className="block">{s.title}</span>
                  {s.optional && <span className="block text-xs text-muted-foreground">Optional for this audit</span>}
                </span>
                <span className="flex shrink-0 items-center gap-1 tabular-nums text-xs text-muted-foreground" data-testid={`section-progress-${s.id}`}>
                  {done && <CheckCircle2 aria-hidden className="size-4 text-success" />}
                  {s.progress.required === 0 ? (
                    <>
                      {s.progress.answered}/{s.progress.visible}
                      <span className="sr-only"> questions answered</span>
                    </>
                  ) : (
                    <>
                      {s.progress.requiredAnswered}/{s.progress.required}
                      <span className="sr-only"> required questions answered</span>
                    </>
                  )}
                </span>
              </Link>
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
