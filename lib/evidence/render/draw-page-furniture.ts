import "server-only";
import { COLORS } from "./labels";
import type { RenderContext } from "./render-context";
import { PAGE } from "./typesetter";

/**
 * Running header and footer on every buffered page ("Page 3 of 41" needs the total), drawn last.
 * Leaves the last page current, where a signature widget goes.
 */
export function drawPageFurniture(ctx: RenderContext) {
  const { ts, doc, view } = ctx;
  const { data } = view;
  const range = doc.bufferedPageRange();
  const total = range.count;
  const header = fit(ctx, `${data.audit.providerName} · ${data.audit.title}`, ts.width - 150, 7.5);
  const headerRight = `Evidence package v${data.package.version} · ${data.package.issuedAt.slice(0, 10)}`;
  const footer = fit(ctx, `${data.questionnaire.title} ${data.questionnaire.version}`, ts.width - 120, 7.5);
  for (let i = range.start; i < range.start + total; i++) {
    doc.switchToPage(i);
    // Text outside the margins would otherwise start a new page.
    const margins = doc.page.margins;
    doc.page.margins = { top: 0, bottom: 0, left: 0, right: 0 };
    if (i > range.start) {
      ts.write(header, { x: ts.left, y: 30, size: 7.5, color: COLORS.muted, lineBreak: false });
      const w = ts.widthOf(headerRight, { size: 7.5 });
      ts.write(headerRight, { x: ts.right - w, y: 30, size: 7.5, color: COLORS.muted, lineBreak: false });
      doc.y = 44;
      ts.rule();
    }
    doc.y = PAGE.height - 44;
    ts.rule();
    ts.write(footer, { x: ts.left, y: PAGE.height - 38, size: 7.5, color: COLORS.muted, lineBreak: false });
    const pageText = `Page ${i + 1} of ${total}`;
    const w = ts.widthOf(pageText, { size: 7.5 });
    ts.write(pageText, { x: ts.right - w, y: PAGE.height - 38, size: 7.5, color: COLORS.muted, lineBreak: false });
    doc.page.margins = margins;
  }
}

/** `text`, cut with an ellipsis to fit `width` points. */
function fit(ctx: RenderContext, text: string, width: number, size: number): string {
  if (ctx.ts.widthOf(text, { size }) <= width) return text;
  const chars = Array.from(text);
  while (chars.length > 1 && ctx.ts.widthOf(`${chars.join("")}…`, { size }) > width) chars.pop();
  return `${chars.join("").trimEnd()}…`;
}
