import "server-only";
import { EVIDENCE_STATUS_COLORS, EVIDENCE_STATUS_LABELS, COLORS, RATING_COLORS, RATING_LABELS, VERDICT_COLORS, VERDICT_LABELS } from "./labels";
import { RATINGS } from "./package-data";
import type { RenderContext } from "./render-context";

/** The summary: verdict and conditions, answer and rating counts, findings, evidence, per section. */
export function drawSummary(ctx: RenderContext) {
  const { ts, view } = ctx;
  const { data, counts } = view;
  ctx.chapter("Summary");

  ctx.subheading("Verdict");
  const verdict = data.verdict;
  if (!verdict) ts.write("No verdict has been given yet.", { color: COLORS.muted });
  else {
    ts.write([
      { text: "● ", color: VERDICT_COLORS[verdict.verdict] },
      { text: VERDICT_LABELS[verdict.verdict], style: "bold", color: VERDICT_COLORS[verdict.verdict] },
      { text: `  by ${verdict.by}, ${ctx.date(verdict.at)}`, color: COLORS.muted, size: 9 },
    ]);
    ts.moveDown(4);
    for (const paragraph of paragraphs(verdict.rationale)) ts.write(paragraph, { paragraphGap: 4 });
    if (verdict.conditions.length > 0) {
      ts.moveDown(4);
      ts.write("Conditions", { style: "bold", size: 10 });
      ts.moveDown(2);
      verdict.conditions.forEach((c, i) => {
        ts.ensureSpace(24);
        const y = ctx.doc.y;
        ts.write(`${i + 1}.`, { x: ts.left + 6, y, width: 18 });
        ts.write(c, { x: ts.left + 26, y, width: ts.width - 26 });
        ts.moveDown(3);
      });
    }
  }

  ctx.subheading("Answers");
  const p = counts.progress;
  ts.row("Questions asked", `${p.visible} (${counts.skipped} more skipped: follow-ups not triggered or out of scope)`);
  ts.row("Answered", `${p.answered} of ${p.visible}`);
  ts.row("Required answered", `${p.requiredAnswered} of ${p.required}`);
  const threads = counts.clarifications;
  const threadTotal = threads.open + threads.answered + threads.resolved;
  ts.row(
    "Clarifications",
    threadTotal === 0 ? "none" : `${threadTotal}: ${threads.open} open, ${threads.answered} answered, ${threads.resolved} resolved`,
  );

  ctx.subheading("Ratings");
  for (const r of RATINGS)
    ts.row(RATING_LABELS[r], [
      { text: "● ", color: RATING_COLORS[r] },
      { text: String(counts.ratings[r]), style: "bold" },
    ]);
  ts.row("Not rated", String(counts.ratings.unrated));

  const findings = view.questions.filter((q) => q.rating && (q.rating.rating === "not_acceptable" || q.rating.rating === "needs_clarification"));
  if (findings.length > 0) {
    ctx.subheading("Findings");
    ts.write("Answers rated not acceptable or needing clarification:", { size: 9, color: COLORS.muted });
    ts.moveDown(4);
    for (const q of findings) {
      const rating = q.rating!;
      ts.ensureSpace(30);
      const y = ctx.doc.y;
      ts.write(q.number, { x: ts.left, y, width: 44, size: 9, style: "bold" });
      ts.write(
        [
          { text: `${RATING_LABELS[rating.rating]}: `, style: "bold", color: RATING_COLORS[rating.rating] },
          { text: q.question.text, code: true },
          ...(rating.note ? [{ text: ` — ${rating.note}`, color: COLORS.muted }] : []),
        ],
        { x: ts.left + 44, y, width: ts.width - 44, size: 9 },
      );
      ts.moveDown(4);
    }
  }

  ctx.subheading("Evidence");
  for (const c of view.checklist)
    ts.row(c.item.title, [
      { text: "● ", color: EVIDENCE_STATUS_COLORS[c.status] },
      { text: EVIDENCE_STATUS_LABELS[c.status], style: c.status === "missing" ? "bold" : "regular", color: c.status === "missing" ? COLORS.bad : COLORS.text },
      { text: c.attachments.length > 0 ? ` (${c.attachments.map((a) => a.label).join(", ")})` : "", color: COLORS.muted },
    ], { labelWidth: 250 });

  ctx.subheading("By section");
  for (const s of view.sections) {
    const sp = s.progress;
    ts.row(`${s.number}  ${s.section.title}`, `${sp.answered} of ${sp.visible} answered${s.optionalNote ? " (optional for this audit)" : ""}`, {
      labelWidth: 250,
    });
  }
}

function paragraphs(text: string): string[] {
  return text
    .replace(/\r\n?/g, "\n")
    .split(/\n{2,}/)
    .map((p) => p.trim())
    .filter((p) => p !== "");
}
