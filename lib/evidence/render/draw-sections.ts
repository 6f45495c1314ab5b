import "server-only";
import { formatBytes } from "@/lib/attachments/file-types";
import type { TQuestionView } from "./build-package-view";
import { COLORS, RATING_COLORS, RATING_LABELS } from "./labels";
import type { RenderContext } from "./render-context";
import type { TSpan } from "./typesetter";

const INDENT_PER_LEVEL = 18;
const CLARIFICATION_STATUS: Record<string, string> = { open: "open", answered: "answered, awaiting review", resolved: "resolved" };

/** Every section, group and question in questionnaire order; follow-ups indented under their parent. */
export function drawSections(ctx: RenderContext, onQuestion: () => void) {
  const { ts, view } = ctx;
  for (const s of view.sections) {
    ctx.chapter(`${s.number}  ${s.section.title}`);
    if (s.optionalNote) {
      ts.write(s.optionalNote, { size: 9, color: COLORS.warn });
      ts.moveDown(8);
    }
    for (const g of s.groups) {
      if (g.group.title) ctx.subheading(g.group.title, { mark: true });
      for (const q of g.questions) {
        drawQuestion(ctx, q);
        onQuestion();
      }
    }
  }
}

function drawQuestion(ctx: RenderContext, q: TQuestionView) {
  const { ts, doc } = ctx;
  const x0 = ts.left + q.depth * INDENT_PER_LEVEL;
  const numberWidth = Math.max(30, ts.widthOf(q.number, { style: "bold", size: 9.5 }) + 8);
  const x = x0 + numberWidth;
  const width = ts.right - x;

  if (q.status === "skipped") {
    ts.ensureSpace(ts.heightOf(q.question.text, { width, size: 9 }) + 14);
    const y = doc.y;
    ts.write(q.number, { x: x0, y, width: numberWidth, size: 9, color: COLORS.faint });
    ts.write([{ text: q.question.text, code: true }], { x, y, width, size: 9, color: COLORS.faint });
    ts.write(q.skipReason ?? "Skipped.", { x, width, size: 8, color: COLORS.faint });
    ts.moveDown(7);
    return;
  }

  // Keep the question with the first lines of its answer.
  ts.ensureSpace(ts.heightOf(q.question.text, { width, style: "bold", size: 10 }) + 40);
  const y = doc.y;
  ts.write(q.number, { x: x0, y, width: numberWidth, size: 10, style: "bold", color: COLORS.accent });
  ts.write([{ text: q.question.text, code: true }], { x, y, width, size: 10, style: "bold" });
  ts.moveDown(3);

  if (q.status === "answered") {
    if (q.question.type === "multiple_choice") for (const line of q.display) ts.write(`•  ${line}`, { x: x + 4, width: width - 4, size: 10 });
    else ts.write(q.display.join("\n"), { x, width, size: 10 });
    ts.moveDown(1);
    ts.write(`Answered by ${q.answer?.updatedBy ?? "unknown"} · ${ctx.date(q.answer?.updatedAt)}${q.rating ? "" : " · not rated"}`, {
      x,
      width,
      size: 7.5,
      color: COLORS.muted,
    });
  } else {
    ts.write(q.required ? "Not answered (required)" : "Not answered (optional)", {
      x,
      width,
      size: 9.5,
      style: q.required ? "bold" : "regular",
      color: q.required ? COLORS.bad : COLORS.muted,
    });
  }

  if (q.attachments.length > 0) {
    ts.moveDown(2);
    const spans: TSpan[] = [{ text: "Files: ", style: "bold" }];
    q.attachments.forEach((a, i) =>
      spans.push(
        { text: `${i > 0 ? "; " : ""}${a.label} `, style: "bold" },
        { text: a.attachment.fileName },
        { text: ` (${formatBytes(a.attachment.size)})`, color: COLORS.muted },
      ),
    );
    ts.write(spans, { x, width, size: 8.5 });
  }

  if (q.question.refs?.length) {
    ts.moveDown(1);
    const refs = q.question.refs.map((r) => `${r.standard} ${r.id}${r.title ? ` (${r.title})` : ""}`).join("; ");
    ts.write(`Refs: ${refs}`, { x, width, size: 7.5, color: COLORS.faint });
  }

  if (q.rating) {
    const r = q.rating;
    ts.moveDown(3);
    ts.write(
      [
        { text: "● ", color: RATING_COLORS[r.rating] },
        { text: RATING_LABELS[r.rating], style: "bold", color: RATING_COLORS[r.rating] },
        ...(r.note ? [{ text: ` — ${r.note}` }] : []),
      ],
      { x, width, size: 9 },
    );
    ts.write(`Rated by ${r.by} · ${ctx.date(r.at)}`, { x, width, size: 7.5, color: COLORS.muted });
  }

  for (const thread of q.clarifications) {
    ts.ensureSpace(40);
    ts.moveDown(4);
    ts.write(
      [
        { text: "Clarification", style: "bold" },
        { text: ` · ${CLARIFICATION_STATUS[thread.status] ?? thread.status} · opened by ${thread.openedBy}, ${ctx.date(thread.openedAt)}`, color: COLORS.muted },
      ],
      { x, width, size: 8.5 },
    );
    const mx = x + 10;
    for (const m of thread.messages) {
      ts.ensureSpace(30);
      ts.moveDown(2);
      ts.write(
        [
          ...(m.internal ? [{ text: "Internal note · ", style: "bold" as const, color: COLORS.internal }] : []),
          { text: m.author, style: "bold" },
          { text: ` (${m.role}) · ${ctx.date(m.at)}`, color: COLORS.muted },
        ],
        { x: mx, width: ts.right - mx, size: 8 },
      );
      ts.write(m.body, { x: mx, width: ts.right - mx, size: 9, color: m.internal ? COLORS.internal : COLORS.text });
    }
  }
  ts.moveDown(10);
}
