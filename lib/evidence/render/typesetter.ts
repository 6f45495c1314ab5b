import "server-only";
import { COLORS } from "./labels";
import { FONT_NAMES, fontBytes, splitFontRuns, type TFontStyle } from "./fonts";

// Text drawing for the package: every string goes through the font runs (fonts.ts), so any
// language prints, and `inline code` from questionnaire texts is set in the monospace font as
// the app does (components/questionnaire/inline-text.tsx). Page geometry lives here too.

export interface TSpan {
  text: string;
  style?: TFontStyle;
  color?: string;
  size?: number;
  /** Treat `backticks` as inline code (questionnaire texts). */
  code?: boolean;
}

export interface TWriteOptions {
  x?: number;
  y?: number;
  width?: number;
  style?: TFontStyle;
  size?: number;
  color?: string;
  lineGap?: number;
  paragraphGap?: number;
  align?: "left" | "center" | "right" | "justify";
  /** Keep the line open for the next write (as pdfkit's `continued`). */
  continued?: boolean;
  lineBreak?: boolean;
}

export const PAGE = {
  size: "A4" as const,
  width: 595.28,
  height: 841.89,
  margins: { top: 64, bottom: 64, left: 56, right: 56 },
};

const BASE_FONT: Record<TFontStyle, string> = {
  regular: FONT_NAMES.sans,
  bold: FONT_NAMES.sansBold,
  mono: FONT_NAMES.mono,
};

export class Typesetter {
  private cjkRegistered = false;

  constructor(readonly doc: PDFKit.PDFDocument) {
    doc.registerFont(FONT_NAMES.sans, fontBytes(FONT_NAMES.sans));
    doc.registerFont(FONT_NAMES.sansBold, fontBytes(FONT_NAMES.sansBold));
    doc.registerFont(FONT_NAMES.mono, fontBytes(FONT_NAMES.mono));
  }

  get left() {
    return PAGE.margins.left;
  }
  get width() {
    return PAGE.width - PAGE.margins.left - PAGE.margins.right;
  }
  get right() {
    return PAGE.width - PAGE.margins.right;
  }
  get bottom() {
    return PAGE.height - PAGE.margins.bottom;
  }

  addPage() {
    this.doc.addPage();
    this.doc.x = this.left;
    this.doc.y = PAGE.margins.top;
  }

  /** Starts a new page unless `height` points still fit on this one. */
  ensureSpace(height: number) {
    if (this.doc.y + height > this.bottom) this.addPage();
  }

  /** 1-based number of the page being drawn (pages are buffered until the end). */
  pageNumber() {
    const range = this.doc.bufferedPageRange();
    return range.start + range.count;
  }

  moveDown(points: number) {
    this.doc.y += points;
  }

  /** Draws one paragraph of spans from (x, y) or the current position, wrapping within `width`. */
  write(content: string | TSpan[], options: TWriteOptions = {}) {
    const spans = typeof content === "string" ? [{ text: content }] : content;
    const pieces: { font: string; size: number; color: string; text: string }[] = [];
    for (const span of spans) {
      const style = span.style ?? options.style ?? "regular";
      const size = span.size ?? options.size ?? 10;
      const color = span.color ?? options.color ?? COLORS.text;
      const text = span.text
        .replace(/\r\n?/g, "\n")
        .replace(/\t/g, "    ")
        // Control characters have no glyph (uploads and answers are cleaned, event subjects may not be).
        .replace(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/g, "");
      const parts = span.code ? text.split(/`([^`]+)`/) : [text];
      parts.forEach((part, i) => {
        if (part === "") return;
        const partStyle: TFontStyle = i % 2 === 1 ? "mono" : style;
        for (const run of splitFontRuns(part, partStyle)) pieces.push({ font: run.font, size, color, text: run.text });
      });
    }
    if (pieces.length === 0) return;
    const doc = this.doc;
    if (options.x !== undefined) doc.x = options.x;
    else if (!options.continued) doc.x = this.left;
    if (options.y !== undefined) doc.y = options.y;
    const width = options.width ?? this.right - doc.x;
    pieces.forEach((piece, i) => {
      this.useFont(piece.font, piece.size);
      doc.fillColor(piece.color);
      doc.text(piece.text, {
        width: options.lineBreak === false ? undefined : width,
        lineBreak: options.lineBreak,
        lineGap: options.lineGap ?? 1.5,
        paragraphGap: options.paragraphGap ?? 0,
        align: options.align ?? "left",
        continued: i < pieces.length - 1 || options.continued === true,
      });
    });
  }

  /**
   * Height of a paragraph. Approximate for mixed scripts: measured in one font, the CJK one when
   * any character needs it (its Latin glyphs are close in width to DejaVu's).
   */
  heightOf(text: string, options: { width?: number; style?: TFontStyle; size?: number; lineGap?: number } = {}) {
    const style = options.style ?? "regular";
    const needsCjk = splitFontRuns(text, style).some((r) => r.font === FONT_NAMES.cjk);
    this.useFont(needsCjk ? FONT_NAMES.cjk : BASE_FONT[style], options.size ?? 10);
    return this.doc.heightOfString(text.replace(/`/g, ""), { width: options.width ?? this.width, lineGap: options.lineGap ?? 1.5 });
  }

  /** Width of a single line of text, font run by font run. */
  widthOf(text: string, options: { style?: TFontStyle; size?: number } = {}) {
    let width = 0;
    for (const run of splitFontRuns(text, options.style ?? "regular")) {
      this.useFont(run.font, options.size ?? 10);
      width += this.doc.widthOfString(run.text);
    }
    return width;
  }

  private useFont(font: string, size: number) {
    if (font === FONT_NAMES.cjk && !this.cjkRegistered) {
      this.doc.registerFont(FONT_NAMES.cjk, fontBytes(FONT_NAMES.cjk));
      this.cjkRegistered = true;
    }
    this.doc.font(font).fontSize(size);
  }

  /** A thin horizontal line across the text width at the current position. */
  rule(color: string = COLORS.rule, x = this.left, width = this.width) {
    const y = this.doc.y;
    this.doc.save().moveTo(x, y).lineTo(x + width, y).lineWidth(0.5).strokeColor(color).stroke().restore();
  }

  /** A label / value pair: the label in a column of its own, the value wrapping beside it. */
  row(label: string, value: string | TSpan[], options: { labelWidth?: number; size?: number; gap?: number; x?: number } = {}) {
    const x = options.x ?? this.left;
    const labelWidth = options.labelWidth ?? 130;
    const size = options.size ?? 9.5;
    const valueHeight = this.heightOf(typeof value === "string" ? value : value.map((s) => s.text).join(""), {
      width: this.right - x - labelWidth,
      size,
    });
    this.ensureSpace(Math.min(valueHeight, 60));
    const y = this.doc.y;
    const page = this.pageNumber();
    this.write(label, { x, y, width: labelWidth - 8, size, color: COLORS.muted });
    const afterLabel = this.doc.y;
    this.write(value, { x: x + labelWidth, y, width: this.right - x - labelWidth, size });
    // A value that ran onto the next page leaves the position there.
    if (this.pageNumber() === page) this.doc.y = Math.max(this.doc.y, afterLabel);
    this.moveDown(options.gap ?? 3);
    this.doc.x = this.left;
  }
}
