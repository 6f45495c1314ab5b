import type { TAuditView } from "./get-audit";

/** The section list with progress and whether the audit's scope makes the section optional. */
export function sectionNavItems({ questionnaire, progress, audit }: Pick<TAuditView, "questionnaire" | "progress" | "audit">) {
  const q = questionnaire.definition;
  const optionalParts = new Set(q.parts.filter((p) => !audit.scope[p.optionalUnless]).map((p) => p.id));
  return q.sections.map((s) => ({
    id: s.id,
    title: s.title,
    optional: s.part !== undefined && optionalParts.has(s.part),
    progress: progress.sections[s.id]!,
  }));
}
