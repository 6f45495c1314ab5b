import "server-only";
import { COLORS } from "./labels";
import type { RenderContext } from "./render-context";

/** Appendix: the audit's event trail, one line per event (who did what, when). */
export function drawEventTrail(ctx: RenderContext) {
  const { ts, view, doc } = ctx;
  ctx.chapter("Appendix: event trail");
  ts.write(`${view.data.events.length} events, oldest first. Times are UTC.`, { size: 9, color: COLORS.muted });
  ts.moveDown(8);
  const cols = [
    { x: ts.left, width: 90 },
    { x: ts.left + 94, width: 120 },
    { x: ts.left + 218, width: 100 },
    { x: ts.left + 322, width: ts.width - 322 },
  ];
  const size = 7.5;
  const header = ["When", "Who", "What", "About"];
  const drawHeader = () => {
    const y = doc.y;
    header.forEach((h, i) => ts.write(h, { x: cols[i]!.x, y, width: cols[i]!.width, size, style: "bold", color: COLORS.muted }));
    doc.y = y + ts.heightOf("X", { size }) + 3;
    ts.rule();
    ts.moveDown(3);
  };
  drawHeader();
  for (const e of view.data.events) {
    const cells = [ctx.date(e.at).replace(" UTC", ""), e.actor ?? "system", e.action, e.subject ?? ""];
    const height = Math.max(...cells.map((c, i) => ts.heightOf(c || "x", { width: cols[i]!.width, size, style: i === 3 ? "mono" : "regular" })));
    if (doc.y + height > ts.bottom) {
      ts.addPage();
      drawHeader();
    }
    const y = doc.y;
    cells.forEach((c, i) => {
      if (c) ts.write(c, { x: cols[i]!.x, y, width: cols[i]!.width, size, style: i === 3 ? "mono" : "regular" });
    });
    doc.y = y + height + 2.5;
  }
}
