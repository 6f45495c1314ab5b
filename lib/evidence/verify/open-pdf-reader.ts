import "server-only";
import { open, type FileHandle } from "node:fs/promises";

// A small random-access PDF object reader: it follows `startxref` to the classic cross-reference
// table (and its /Prev chain), and parses single objects on demand from a bounded window read at
// their offset. It never reads the whole file, so it stays small however many megabytes of
// attachments a package carries. Every parsed value remembers where it is in the file, which is
// how the signer finds the /ByteRange and /Contents to fill in, and how the verifier checks that
// the signed byte ranges leave out exactly the /Contents value.
//
// It reads what pdfkit writes (classic xref tables, no object or xref streams, no encryption)
// and refuses the rest with a PdfReadError marked `unsupported`, never with a crash: an evidence
// package rewritten by another tool is not one Assay signed anyway.

export interface TPdfPosition {
  /** Offset of the value's first byte in the file. */
  start: number;
  /** Offset just past its last byte. */
  end: number;
}

export type TPdfValue =
  | ({ kind: "null" } & TPdfPosition)
  | ({ kind: "boolean"; value: boolean } & TPdfPosition)
  | ({ kind: "number"; value: number } & TPdfPosition)
  | ({ kind: "name"; value: string } & TPdfPosition)
  | ({ kind: "string"; bytes: Buffer; hex: boolean } & TPdfPosition)
  | ({ kind: "array"; items: TPdfValue[] } & TPdfPosition)
  | ({ kind: "dict"; entries: Map<string, TPdfValue> } & TPdfPosition)
  | ({ kind: "ref"; num: number; gen: number } & TPdfPosition);

export type TPdfDict = Extract<TPdfValue, { kind: "dict" }>;

export interface TPdfIndirectObject {
  num: number;
  gen: number;
  value: TPdfValue;
  /** For a stream object: offset of the first byte of its data (after `stream` and its EOL). */
  streamStart: number | null;
}

export interface TPdfReader {
  readonly path: string;
  readonly size: number;
  /** The newest trailer dictionary (the one `startxref` at the end of the file points to). */
  readonly trailer: TPdfDict;
  getObject(num: number, gen: number): Promise<TPdfIndirectObject>;
  /** Follows references until a direct value (undefined stays undefined). */
  resolve(value: TPdfValue | undefined): Promise<TPdfValue | undefined>;
  /** Reads `length` bytes at `start` (for small, bounded regions only). */
  read(start: number, length: number): Promise<Buffer>;
  close(): Promise<void>;
}

export class PdfReadError extends Error {
  constructor(
    message: string,
    /** The file may be a valid PDF, but uses something this reader does not read. */
    readonly unsupported = false,
  ) {
    super(message);
    this.name = "PdfReadError";
  }
}

const FIRST_WINDOW = 16 * 1024;
/** Largest object (without stream data) we parse: name trees of thousands of files fit easily. */
const MAX_OBJECT_BYTES = 16 * 1024 * 1024;
/** Largest cross-reference section: 64 MiB is ~3 million objects. */
const MAX_XREF_BYTES = 64 * 1024 * 1024;
const MAX_NESTING = 64;
const MAX_VALUES_PER_OBJECT = 1_000_000;
const MAX_LITERAL_STRING = 1024 * 1024;
const MAX_HEX_DIGITS = 8 * 1024 * 1024;
const MAX_XREF_SECTIONS = 64;

/** Opens `path` and reads its cross-reference table; the caller must close() it. */
export async function openPdfReader(path: string): Promise<TPdfReader> {
  const fh = await open(path, "r");
  try {
    const size = (await fh.stat()).size;
    const offsets = new Map<number, { offset: number; gen: number } | null>();
    let trailer: TPdfDict | undefined;
    const seen = new Set<number>();
    for (let at: number | undefined = await findStartXref(fh, size); at !== undefined; ) {
      if (seen.has(at) || seen.size >= MAX_XREF_SECTIONS) throw new PdfReadError("the cross-reference sections form a loop");
      seen.add(at);
      const section: TXrefSection = await parseAt(fh, size, at, MAX_XREF_BYTES, parseXrefSection);
      if (section.trailer.entries.has("XRefStm")) {
        throw new PdfReadError("the file uses cross-reference streams (written by another tool, not by Assay)", true);
      }
      trailer ??= section.trailer;
      // Newer sections come first: what they say about an object wins.
      for (const [num, entry] of section.entries) if (!offsets.has(num)) offsets.set(num, entry);
      const prev: TPdfValue | undefined = section.trailer.entries.get("Prev");
      at = prev?.kind === "number" ? prev.value : undefined;
    }
    if (!trailer) throw new PdfReadError("no trailer");
    if (trailer.entries.has("Encrypt")) throw new PdfReadError("the file is encrypted", true);

    const cache = new Map<string, TPdfIndirectObject>();
    const reader: TPdfReader = {
      path,
      size,
      trailer,
      async getObject(num, gen) {
        const key = `${num} ${gen}`;
        const cached = cache.get(key);
        if (cached) return cached;
        const entry = offsets.get(num);
        if (!entry || entry.gen !== gen) throw new PdfReadError(`object ${num} ${gen} is not in the cross-reference table`);
        const object = await parseAt(fh, size, entry.offset, MAX_OBJECT_BYTES, (lex) => parseIndirectObject(lex, num, gen));
        cache.set(key, object);
        return object;
      },
      async resolve(value) {
        let v = value;
        for (let hops = 0; v?.kind === "ref"; hops++) {
          if (hops > 32) throw new PdfReadError("a chain of references does not end");
          v = (await reader.getObject(v.num, v.gen)).value;
        }
        return v;
      },
      read: (start, length) => readExactly(fh, size, start, length),
      close: () => fh.close(),
    };
    return reader;
  } catch (e) {
    await fh.close();
    throw e;
  }
}

/** A PDF text string as a JS string: UTF-16BE with BOM, UTF-8 with BOM, else PDFDocEncoding (read as Latin-1). */
export function decodePdfText(bytes: Buffer): string {
  if (bytes.length >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    const body = Buffer.from(bytes.subarray(2, 2 + ((bytes.length - 2) & ~1)));
    return body.swap16().toString("utf16le");
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3).toString("utf8");
  return bytes.toString("latin1");
}

async function readExactly(fh: FileHandle, size: number, start: number, length: number): Promise<Buffer> {
  if (!Number.isSafeInteger(start) || !Number.isSafeInteger(length) || start < 0 || length < 0 || start + length > size) {
    throw new PdfReadError(`bytes ${start}–${start + length} are outside the file (${size} bytes)`);
  }
  const buf = Buffer.alloc(length);
  for (let done = 0; done < length; ) {
    const { bytesRead } = await fh.read(buf, done, length - done, start + done);
    if (bytesRead === 0) throw new PdfReadError("the file got shorter while it was read");
    done += bytesRead;
  }
  return buf;
}

// The last `startxref` in the file, read backwards in chunks (bytes appended after %%EOF, however
// many, do not hide it).
async function findStartXref(fh: FileHandle, size: number): Promise<number> {
  const CHUNK = 64 * 1024;
  const word = Buffer.from("startxref");
  for (let end = size; end > 0; ) {
    const start = Math.max(0, end - CHUNK);
    // Overlap with the chunk read before, so a keyword split between two chunks is found.
    const chunk = await readExactly(fh, size, start, Math.min(size, end + word.length) - start);
    const at = chunk.lastIndexOf(word);
    if (at >= 0) {
      return parseAt(fh, size, start + at, 1024, (lex) => {
        lex.keyword("startxref");
        return lex.integer();
      });
    }
    end = start;
  }
  throw new PdfReadError("no startxref: this is not a PDF file, or it is truncated");
}

const NEED_MORE = Symbol("need more bytes");

/** Runs `parse` on a window read at `offset`, growing the window while the parser runs out of bytes. */
async function parseAt<T>(fh: FileHandle, size: number, offset: number, maxBytes: number, parse: (lex: Lexer) => T): Promise<T> {
  if (!Number.isSafeInteger(offset) || offset < 0 || offset >= size) throw new PdfReadError(`offset ${offset} is outside the file`);
  for (let window = FIRST_WINDOW; ; window *= 4) {
    const length = Math.min(window, maxBytes, size - offset);
    const lex = new Lexer(await readExactly(fh, size, offset, length), offset, offset + length >= size);
    try {
      return parse(lex);
    } catch (e) {
      if (e !== NEED_MORE) throw e;
      if (length >= maxBytes) throw new PdfReadError(`the object at offset ${offset} is larger than ${maxBytes} bytes`);
    }
  }
}

type TXrefSection = { entries: Map<number, { offset: number; gen: number } | null>; trailer: TPdfDict };

function parseXrefSection(lex: Lexer): TXrefSection {
  lex.skipSpace();
  const first = lex.run();
  if (first !== "xref") {
    if (/^\d+$/.test(first)) throw new PdfReadError("the file uses a cross-reference stream (written by another tool, not by Assay)", true);
    throw new PdfReadError("startxref does not point to a cross-reference table");
  }
  const entries = new Map<number, { offset: number; gen: number } | null>();
  for (;;) {
    lex.skipSpace();
    if (lex.byte() === 0x74 /* t */) break;
    const from = lex.integer();
    const count = lex.integer();
    for (let i = 0; i < count; i++) {
      const offset = lex.integer();
      const gen = lex.integer();
      lex.skipSpace();
      const type = lex.run();
      if (type !== "n" && type !== "f") throw new PdfReadError(`malformed cross-reference entry for object ${from + i}`);
      if (!entries.has(from + i)) entries.set(from + i, type === "n" ? { offset, gen } : null);
    }
  }
  lex.keyword("trailer");
  const trailer = lex.value(0);
  if (trailer.kind !== "dict") throw new PdfReadError("the trailer is not a dictionary");
  return { entries, trailer };
}

function parseIndirectObject(lex: Lexer, num: number, gen: number): TPdfIndirectObject {
  const n = lex.integer();
  const g = lex.integer();
  lex.keyword("obj");
  if (n !== num || g !== gen) throw new PdfReadError(`the cross-reference table points object ${num} ${gen} to object ${n} ${g}`);
  const value = lex.value(0);
  lex.skipSpace();
  const keyword = lex.run();
  if (keyword === "endobj") return { num, gen, value, streamStart: null };
  if (keyword !== "stream" || value.kind !== "dict") throw new PdfReadError(`object ${num} ${gen} does not end with endobj`);
  // `stream` is followed by CRLF or LF, then the data.
  if (lex.byte() === 0x0d) lex.pos++;
  if (lex.byte() !== 0x0a) throw new PdfReadError(`object ${num} ${gen}: no end of line after "stream"`);
  lex.pos++;
  return { num, gen, value, streamStart: lex.abs() };
}

const isSpace = (c: number) => c === 0x00 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d || c === 0x20;
const isDelimiter = (c: number) =>
  c === 0x28 || c === 0x29 || c === 0x3c || c === 0x3e || c === 0x5b || c === 0x5d || c === 0x7b || c === 0x7d || c === 0x2f || c === 0x25;
const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const hexValue = (c: number) => (isDigit(c) ? c - 0x30 : c >= 0x41 && c <= 0x46 ? c - 0x37 : c >= 0x61 && c <= 0x66 ? c - 0x57 : -1);

/**
 * Tokens and values from a window of the file. Running past the window's end throws NEED_MORE
 * (the caller retries with a bigger window) unless the window reaches the end of the file.
 */
class Lexer {
  pos = 0;
  private values = 0;

  constructor(
    private readonly buf: Buffer,
    private readonly base: number,
    private readonly complete: boolean,
  ) {}

  abs(i = this.pos): number {
    return this.base + i;
  }

  /** True at the end of the file; throws NEED_MORE at the end of an incomplete window. */
  atEnd(): boolean {
    if (this.pos < this.buf.length) return false;
    if (this.complete) return true;
    throw NEED_MORE;
  }

  byte(): number {
    if (this.atEnd()) throw new PdfReadError(`unexpected end of file at offset ${this.abs()}`);
    return this.buf[this.pos]!;
  }

  skipSpace(): void {
    while (!this.atEnd()) {
      const c = this.buf[this.pos]!;
      if (isSpace(c)) this.pos++;
      else if (c === 0x25 /* % comment */) {
        while (!this.atEnd() && this.buf[this.pos] !== 0x0a && this.buf[this.pos] !== 0x0d) this.pos++;
      } else return;
    }
  }

  /** A run of regular characters (a keyword, a number, the body of a name). */
  run(): string {
    const from = this.pos;
    while (!this.atEnd() && !isSpace(this.buf[this.pos]!) && !isDelimiter(this.buf[this.pos]!)) this.pos++;
    return this.buf.toString("latin1", from, this.pos);
  }

  keyword(expected: string): void {
    this.skipSpace();
    const at = this.abs();
    const got = this.run();
    if (got !== expected) throw new PdfReadError(`expected "${expected}" at offset ${at}, found "${got.slice(0, 20)}"`);
  }

  integer(): number {
    this.skipSpace();
    const at = this.abs();
    const text = this.run();
    if (!/^\d{1,15}$/.test(text)) throw new PdfReadError(`expected a number at offset ${at}, found "${text.slice(0, 20)}"`);
    return Number(text);
  }

  value(depth: number): TPdfValue {
    if (depth > MAX_NESTING) throw new PdfReadError("values nested too deeply");
    if (++this.values > MAX_VALUES_PER_OBJECT) throw new PdfReadError("an object with too many values");
    this.skipSpace();
    const start = this.abs();
    const c = this.byte();
    if (c === 0x2f /* / */) {
      this.pos++;
      return { kind: "name", value: decodeName(this.run()), start, end: this.abs() };
    }
    if (c === 0x28 /* ( */) return this.literalString(start);
    if (c === 0x3c /* < */) {
      this.pos++;
      if (this.byte() === 0x3c) {
        this.pos++;
        return this.dictionary(start, depth);
      }
      return this.hexString(start);
    }
    if (c === 0x5b /* [ */) {
      this.pos++;
      const items: TPdfValue[] = [];
      for (;;) {
        this.skipSpace();
        if (this.byte() === 0x5d) {
          this.pos++;
          return { kind: "array", items, start, end: this.abs() };
        }
        items.push(this.value(depth + 1));
      }
    }
    const word = this.run();
    if (word === "") throw new PdfReadError(`unexpected character "${String.fromCharCode(c)}" at offset ${start}`);
    if (word === "true" || word === "false") return { kind: "boolean", value: word === "true", start, end: this.abs() };
    if (word === "null") return { kind: "null", start, end: this.abs() };
    if (!/^[+-]?(\d+\.?\d*|\.\d+)$/.test(word)) throw new PdfReadError(`unexpected "${word.slice(0, 20)}" at offset ${start}`);
    const value = Number(word);
    const ref = /^\d+$/.test(word) ? this.referenceAfter(value, start) : undefined;
    return ref ?? { kind: "number", value, start, end: this.abs() };
  }

  /** After an integer: "<gen> R" makes it a reference; otherwise nothing is consumed. */
  private referenceAfter(num: number, start: number): TPdfValue | undefined {
    const back = this.pos;
    this.skipSpace();
    if (this.atEnd() || !isDigit(this.buf[this.pos]!)) return this.rewind(back);
    const gen = this.run();
    if (!/^\d+$/.test(gen)) return this.rewind(back);
    this.skipSpace();
    if (this.atEnd() || this.buf[this.pos] !== 0x52 /* R */) return this.rewind(back);
    this.pos++;
    if (!this.atEnd() && !isSpace(this.buf[this.pos]!) && !isDelimiter(this.buf[this.pos]!)) return this.rewind(back);
    return { kind: "ref", num, gen: Number(gen), start, end: this.abs() };
  }

  private rewind(to: number): undefined {
    this.pos = to;
    return undefined;
  }

  private dictionary(start: number, depth: number): TPdfValue {
    const entries = new Map<string, TPdfValue>();
    for (;;) {
      this.skipSpace();
      const c = this.byte();
      if (c === 0x3e /* > */) {
        this.pos++;
        if (this.byte() !== 0x3e) throw new PdfReadError(`malformed dictionary end at offset ${this.abs()}`);
        this.pos++;
        return { kind: "dict", entries, start, end: this.abs() };
      }
      const key = this.value(depth + 1);
      if (key.kind !== "name") throw new PdfReadError(`a dictionary key at offset ${key.start} is not a name`);
      // Two values for one key let two readers see two different documents: refuse.
      if (entries.has(key.value)) throw new PdfReadError(`the key /${key.value} appears twice in the dictionary at offset ${start}`);
      entries.set(key.value, this.value(depth + 1));
    }
  }

  private hexString(start: number): TPdfValue {
    const parts: string[] = [];
    let digits = 0;
    for (;;) {
      const c = this.byte();
      this.pos++;
      if (c === 0x3e) break;
      if (isSpace(c)) continue;
      if (hexValue(c) < 0) throw new PdfReadError(`a hex string at offset ${start} holds "${String.fromCharCode(c)}"`);
      if (++digits > MAX_HEX_DIGITS) throw new PdfReadError(`the hex string at offset ${start} is too long`);
      parts.push(String.fromCharCode(c));
    }
    let hex = parts.join("");
    if (hex.length % 2 === 1) hex += "0";
    return { kind: "string", bytes: Buffer.from(hex, "hex"), hex: true, start, end: this.abs() };
  }

  private literalString(start: number): TPdfValue {
    this.pos++;
    const out: number[] = [];
    for (let depth = 1; ; ) {
      if (out.length > MAX_LITERAL_STRING) throw new PdfReadError(`the string at offset ${start} is too long`);
      const c = this.byte();
      this.pos++;
      if (c === 0x5c /* \ */) {
        const e = this.byte();
        this.pos++;
        const simple: Record<number, number> = { 0x6e: 0x0a, 0x72: 0x0d, 0x74: 0x09, 0x62: 0x08, 0x66: 0x0c, 0x28: 0x28, 0x29: 0x29, 0x5c: 0x5c };
        if (simple[e] !== undefined) out.push(simple[e]);
        else if (e >= 0x30 && e <= 0x37) {
          let code = e - 0x30;
          for (let i = 0; i < 2 && this.byte() >= 0x30 && this.byte() <= 0x37; i++) code = code * 8 + (this.buf[this.pos++]! - 0x30);
          out.push(code & 0xff);
        } else if (e === 0x0d) {
          if (this.byte() === 0x0a) this.pos++; // a line continuation
        } else if (e !== 0x0a) out.push(e); // an unknown escape stands for the character itself
      } else if (c === 0x28) {
        depth++;
        out.push(c);
      } else if (c === 0x29) {
        if (--depth === 0) break;
        out.push(c);
      } else if (c === 0x0d) {
        out.push(0x0a); // an end of line inside a string reads as LF
        if (this.byte() === 0x0a) this.pos++;
      } else out.push(c);
    }
    return { kind: "string", bytes: Buffer.from(out), hex: false, start, end: this.abs() };
  }
}

function decodeName(raw: string): string {
  return raw.includes("#")
    ? Buffer.from(raw.replace(/#([0-9A-Fa-f]{2})/g, (_, h: string) => String.fromCharCode(parseInt(h, 16))), "latin1").toString("utf8")
    : raw;
}
