import "server-only";
import { COLORS } from "./labels";
import type { RenderContext, TChapter } from "./render-context";
import { PAGE, type Typesetter } from "./typesetter";

// The table of contents sits after the cover but needs every chapter's page number, so its pages
// are reserved first (their number is computed from the planned chapter titles, which are known
// before anything is drawn) and filled in at the end.

const PAGE_COLUMN = 40;
const HEADING_HEIGHT = 44;

function entryStyle(level: 1 | 2) {
  return level === 1
    ? { indent: 0, size: 10.5, style: "bold" as const, before: 5, after: 4 }
    : { indent: 16, size: 9.5, style: "regular" as const, before: 0, after: 3.5 };
}

function entryHeight(ts: Typesetter, entry: Pick<TChapter, "title" | "level">) {
  const s = entryStyle(entry.level);
  return s.before + ts.heightOf(entry.title, { width: ts.width - s.indent - PAGE_COLUMN, size: s.size, style: s.style }) + s.after;
}

/** Lays out the entries; calls `draw(entry, page, y)` for each (page counted from 0). */
function layout(ts: Typesetter, entries: Pick<TChapter, "title" | "level">[], draw?: (index: number, page: number, y: number) => void) {
  let page = 0;
  let y = PAGE.margins.top + HEADING_HEIGHT;
  entries.forEach((entry, i) => {
    const h = entryHeight(ts, entry);
    if (y + h > ts.bottom) {
      page++;
      y = PAGE.margins.top;
    }
    draw?.(i, page, y);
    y += h;
  });
  return page + 1;
}

export function countContentsPages(ts: Typesetter, planned: Pick<TChapter, "title" | "level">[]): number {
  return layout(ts, planned);
}

/** Fills the reserved pages (0-based index of the first one) with the chapters and their links. */
export function drawContents(ctx: RenderContext, firstPageIndex: number) {
  const { ts, doc } = ctx;
  doc.switchToPage(firstPageIndex);
  ts.write("Contents", { x: ts.left, y: PAGE.margins.top, size: 17, style: "bold", color: COLORS.accent });
  ts.moveDown(4);
  ts.rule(COLORS.accent);
  let current = 0;
  layout(ts, ctx.chapters, (i, page, y) => {
    if (page !== current) {
      doc.switchToPage(firstPageIndex + page);
      current = page;
    }
    const entry = ctx.chapters[i]!;
    const s = entryStyle(entry.level);
    const x = ts.left + s.indent;
    const width = ts.width - s.indent - PAGE_COLUMN;
    y += s.before;
    ts.write(entry.title, { x, y, width, size: s.size, style: s.style });
    const bottom = doc.y;
    const lineHeight = ts.heightOf("X", { size: s.size });
    ts.write(String(entry.page), { x: ts.right - PAGE_COLUMN, y: bottom - lineHeight, width: PAGE_COLUMN, size: s.size, style: s.style, align: "right" });
    doc.goTo(x, y, ts.right - x, bottom - y, entry.dest);
  });
}
