import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { create as createFont, type Font } from "fontkit";

// The package's fonts and the choice of font per character. pdfkit draws a string in one font and
// never falls back, so a Chinese answer set in DejaVu Sans would come out as empty boxes: each
// string is cut into runs, every character going to the first font of its style that has a glyph
// for it. DejaVu covers Latin (åäöß łż), Greek and the symbols we use (● ✓ →); Noto Sans SC covers
// CJK. The files are read once per process and shared by every render (pdfkit parses its own copy
// per document; Noto Sans SC is 10 MB, so it is only registered with a document that needs it).

export type TFontStyle = "regular" | "bold" | "mono";

/** pdfkit's names for the registered fonts. */
export const FONT_NAMES = {
  sans: "DejaVuSans",
  sansBold: "DejaVuSans-Bold",
  mono: "DejaVuSansMono",
  cjk: "NotoSansSC",
} as const;
type TFontName = (typeof FONT_NAMES)[keyof typeof FONT_NAMES];

const FILES: Record<TFontName, string> = {
  DejaVuSans: "dejavu-fonts-ttf/ttf/DejaVuSans.ttf",
  "DejaVuSans-Bold": "dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf",
  DejaVuSansMono: "dejavu-fonts-ttf/ttf/DejaVuSansMono.ttf",
  NotoSansSC: "@expo-google-fonts/noto-sans-sc/400Regular/NotoSansSC_400Regular.ttf",
};

/** Fonts tried in order for each style; the first is also used for characters none of them has. */
const FALLBACKS: Record<TFontStyle, TFontName[]> = {
  regular: ["DejaVuSans", "NotoSansSC"],
  bold: ["DejaVuSans-Bold", "DejaVuSans", "NotoSansSC"],
  mono: ["DejaVuSansMono", "DejaVuSans", "NotoSansSC"],
};

interface TLoadedFont {
  bytes: Buffer;
  font: Font;
  /** code point → has a glyph; text repeats a small alphabet, so this is cheap to keep. */
  coverage: Map<number, boolean>;
}

const loaded = new Map<TFontName, TLoadedFont>();

function fontFile(name: TFontName): string {
  // From the project's node_modules at run time (Assay always runs from its root: `npm start`,
  // the tests, the scripts). Not require.resolve: the bundler would try to bundle the .ttf files
  // as modules and fail the build.
  return path.join(process.cwd(), "node_modules", FILES[name]);
}

function load(name: TFontName): TLoadedFont {
  let entry = loaded.get(name);
  if (!entry) {
    const bytes = readFileSync(fontFile(name));
    entry = { bytes, font: createFont(bytes), coverage: new Map() };
    loaded.set(name, entry);
  }
  return entry;
}

export function fontBytes(name: TFontName): Buffer {
  return load(name).bytes;
}

function hasGlyph(name: TFontName, codePoint: number): boolean {
  const entry = load(name);
  let has = entry.coverage.get(codePoint);
  if (has === undefined) {
    has = entry.font.hasGlyphForCodePoint(codePoint);
    entry.coverage.set(codePoint, has);
  }
  return has;
}

export interface TFontRun {
  font: TFontName;
  text: string;
}

// Characters that belong to whatever run they are in: spaces (no glyph needed to break a line)
// and marks that must stay with their base character (combining accents, joiners, selectors).
const NEUTRAL = /^[\s\p{M}\u200c\u200d\ufe00-\ufe0f]$/u;

/** `text` cut into runs of one font each, in order; neighbouring runs never share a font. */
export function splitFontRuns(text: string, style: TFontStyle): TFontRun[] {
  const fonts = FALLBACKS[style];
  const runs: TFontRun[] = [];
  let current: TFontRun | undefined;
  for (const ch of text) {
    let font: TFontName;
    if (current && NEUTRAL.test(ch)) font = current.font;
    else {
      const cp = ch.codePointAt(0)!;
      font = fonts.find((f) => hasGlyph(f, cp)) ?? fonts[0]!;
    }
    if (current && current.font === font) current.text += ch;
    else {
      current = { font, text: ch };
      runs.push(current);
    }
  }
  return runs;
}
