import "server-only";
import { formatDateTime } from "@/lib/format";
import type { TPackageView } from "./build-package-view";
import { COLORS } from "./labels";
import { pdfkitInternals, type TPdfKitInternals } from "./pdfkit-internals";
import type { Typesetter } from "./typesetter";

// What the page-drawing functions share: the typesetter, the view, and the chapters drawn so far
// (for the table of contents and the PDF outline, which are filled in once page numbers are known).

export interface TChapter {
  title: string;
  level: 1 | 2;
  /** Named destination the table of contents links to. */
  dest: string;
  /** 1-based page number. */
  page: number;
}

type TOutlineItem = ReturnType<TPdfKitInternals["outline"]["addItem"]>;

export class RenderContext {
  readonly chapters: TChapter[] = [];
  private lastTopItem: TOutlineItem | null = null;
  private readonly pdf: TPdfKitInternals;

  constructor(
    readonly ts: Typesetter,
    readonly view: TPackageView,
  ) {
    this.pdf = pdfkitInternals(ts.doc);
  }

  get doc() {
    return this.ts.doc;
  }

  /** Marks the current position as a chapter: a named destination, an outline entry, a TOC line. */
  mark(title: string, level: 1 | 2) {
    const dest = `ch${this.chapters.length + 1}`;
    this.pdf.addNamedDestination(dest, "XYZ", null, Math.max(this.doc.y - 12, 0), null);
    // `fit`: pdfkit's XYZ outline destinations get the left edge wrong; jump to the whole page.
    if (level === 1 || !this.lastTopItem) this.lastTopItem = this.pdf.outline.addItem(title, { fit: true });
    else this.lastTopItem.addItem(title, { fit: true });
    this.chapters.push({ title, level, dest, page: this.ts.pageNumber() });
  }

  /** A chapter heading on a new page. */
  chapter(title: string) {
    this.ts.addPage();
    this.mark(title, 1);
    this.ts.write(title, { size: 17, style: "bold", color: COLORS.accent });
    this.ts.moveDown(4);
    this.ts.rule(COLORS.accent);
    this.ts.moveDown(10);
  }

  /** A sub-heading kept with at least the start of what follows it. */
  subheading(title: string, options: { mark?: boolean; keep?: number } = {}) {
    this.ts.ensureSpace(options.keep ?? 70);
    this.ts.moveDown(6);
    if (options.mark) this.mark(title, 2);
    this.ts.write(title, { size: 12, style: "bold", color: COLORS.text });
    this.ts.moveDown(5);
  }

  date(iso: string | null | undefined): string {
    return iso ? formatDateTime(iso) : "—";
  }
}
