import type { TEvidenceStatus } from "@/lib/attachments/evidence-status";
import type { TQuestion } from "@/lib/questionnaires/schema";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";
import type { TPackageAttachment, TRating, TVerdict } from "./package-data";

// The words and colours of the package, in one place so that the summary, the question pages and
// the manifest's display texts agree.

export const RATING_LABELS: Record<TRating, string> = {
  acceptable: "Acceptable",
  needs_clarification: "Needs clarification",
  not_acceptable: "Not acceptable",
  not_applicable: "Not applicable",
};

export const VERDICT_LABELS: Record<TVerdict, string> = {
  suitable: "Suitable",
  suitable_with_conditions: "Suitable with conditions",
  not_suitable: "Not suitable",
};

export const EVIDENCE_STATUS_LABELS: Record<TEvidenceStatus, string> = {
  ok: "Provided",
  expiring: "Provided, expiring within 90 days",
  expired: "Expired",
  missing: "Missing",
};

export const COLORS = {
  text: "#1f2328",
  muted: "#59636e",
  faint: "#8c959f",
  rule: "#d0d7de",
  accent: "#0b5cad",
  good: "#1a7f37",
  warn: "#9a6700",
  bad: "#cf222e",
  neutral: "#59636e",
  internal: "#8250df",
  warnBackground: "#fff8c5",
  warnBorder: "#d4a72c",
} as const;

export const RATING_COLORS: Record<TRating, string> = {
  acceptable: COLORS.good,
  needs_clarification: COLORS.warn,
  not_acceptable: COLORS.bad,
  not_applicable: COLORS.neutral,
};

export const VERDICT_COLORS: Record<TVerdict, string> = {
  suitable: COLORS.good,
  suitable_with_conditions: COLORS.warn,
  not_suitable: COLORS.bad,
};

export const EVIDENCE_STATUS_COLORS: Record<TEvidenceStatus, string> = {
  ok: COLORS.good,
  expiring: COLORS.warn,
  expired: COLORS.bad,
  missing: COLORS.bad,
};

/** An answer as people read it: one entry per line (a multiple choice lists one option a line). */
export function answerLines(question: TQuestion, value: TAnswerValue): string[] {
  if (value === null) return [];
  const label = (id: string) => question.choices?.find((c) => c.id === id)?.label ?? id;
  switch (question.type) {
    case "yes_no":
      return [value === "yes" ? "Yes" : value === "no" ? "No" : String(value)];
    case "single_choice":
      return [label(String(value))];
    case "multiple_choice":
      return (Array.isArray(value) ? value : [String(value)]).map(label);
    case "number":
      return [typeof value === "number" ? value.toLocaleString("en-GB", { maximumFractionDigits: 20 }) : String(value)];
    default:
      return [Array.isArray(value) ? value.join(", ") : String(value)];
  }
}

/** "Certificate: issued by …; scope: …; valid until …", or null when nothing was recorded. */
export function certificateText(a: { attachment: Pick<TPackageAttachment, "certificate"> }): string | null {
  const c = a.attachment.certificate;
  if (!c || (!c.issuer && !c.scope && !c.expiresAt)) return null;
  const parts = [c.issuer ? `issued by ${c.issuer}` : null, c.scope ? `scope: ${c.scope}` : null, c.expiresAt ? `valid until ${c.expiresAt}` : null];
  return `Certificate: ${parts.filter(Boolean).join("; ")}`;
}
