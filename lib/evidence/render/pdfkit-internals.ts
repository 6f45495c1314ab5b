import "server-only";

// The private surface of pdfkit 0.20.2 that the renderer relies on, typed in one place.
//
// Why private fields at all: pdfkit's public `doc.file()` reads a file whole, hashes it with a
// JavaScript MD5 and deflates it in one go, so memory grows with every attachment. The renderer
// writes embedded-file objects itself, in chunks, through the same byte counter pdfkit uses for
// its cross-reference table (`_write`, `_offset`, `ref()`, `_refEnd`). pdfkit is pinned to an
// exact version in package.json and tests/integration/evidence-render.test.ts checks the output
// with qpdf and poppler; `pdfkitInternals` fails loudly if the fields are gone.

/** An indirect object: `id 0 obj … endobj`. */
export interface TPdfRef {
  id: number;
  gen: number;
  data: Record<string, unknown>;
  /** Byte offset of the object in the file; set when it is written. */
  offset: number;
  end(chunk?: string | Uint8Array): void;
  toString(): string;
}

export interface TPdfNameTree {
  add(key: string, value: unknown): unknown;
  _compareKeys(a: string, b: string): number;
}

export interface TPdfKitInternals {
  /** Appends bytes (a string gets a newline) to the output and advances `_offset`. */
  _write(data: string | Uint8Array): void;
  /** Bytes written so far: the offset of the next byte in the file. */
  readonly _offset: number;
  /** Objects allocated but not yet written; the xref table is written when it reaches 0. */
  readonly _waiting: number;
  /** Records a written object's offset for the xref table. */
  _refEnd(ref: TPdfRef): void;
  _root: TPdfRef & { data: { Names: TPdfRef & { data: { EmbeddedFiles?: TPdfNameTree } }; AF?: TPdfRef[] } };
  ref(data?: unknown): TPdfRef;
  addNamedEmbeddedFile(name: string, ref: TPdfRef): void;
  addNamedDestination(name: string, ...args: unknown[]): void;
  outline: {
    addItem(title: string, options?: { expanded?: boolean; fit?: boolean }): { addItem: TPdfKitInternals["outline"]["addItem"] };
  };
}

export function pdfkitInternals(doc: PDFKit.PDFDocument): TPdfKitInternals {
  const d = doc as unknown as Partial<TPdfKitInternals>;
  if (
    typeof d._write !== "function" ||
    typeof d._offset !== "number" ||
    typeof d._refEnd !== "function" ||
    typeof d.ref !== "function" ||
    typeof d.addNamedEmbeddedFile !== "function" ||
    !d._root?.data?.Names
  )
    throw new Error("pdfkit's internals are not what the evidence renderer expects (written for pdfkit 0.20.2)");
  return d as TPdfKitInternals;
}
