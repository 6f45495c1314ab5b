import "server-only";
import { createHash } from "node:crypto";
import { pipeline } from "node:stream/promises";
import { constants as zlibConstants, createDeflate, deflateSync } from "node:zlib";
import { pdfkitInternals, type TPdfRef } from "./pdfkit-internals";

// Writes one embedded file (an `/EmbeddedFile` stream, its `/Filespec`, an entry in the catalog's
// EmbeddedFiles name tree) straight into pdfkit's output, chunk by chunk, so that memory does not
// grow with the file. The bytes are hashed on the way and must match the SHA-256 and size the
// caller recorded: storage corruption must never end up in a signed package.
//
// Nothing else may write to the document while this runs (it awaits between chunks): the caller
// embeds the files one after another, before it draws any page.

/** Bytes sampled to decide whether deflating is worth it. */
const SAMPLE_BYTES = 256 * 1024;
/** Stored uncompressed when the sample deflates by less than 10% (archives, images, PDFs). */
const MIN_SAVING = 0.1;
/** Width reserved for a stream's /Length when it is only known afterwards (up to ~1 TB). */
export const LENGTH_FIELD_WIDTH = 12;

export interface TLengthPatch {
  /** Byte offset in the output file of the reserved /Length digits. */
  position: number;
  length: number;
}

export interface TEmbeddedFileInput {
  /** The name shown by viewers and `pdfdetach`; unique in the document. */
  name: string;
  description: string;
  mediaType: string;
  /** The expected size and SHA-256 (hex) of the raw bytes. */
  size: number;
  sha256: string;
  modifiedAt: Date;
  /** PDF 2.0 associated-file relationship: "Data" for the manifest, "Supplement" for evidence. */
  relationship: "Data" | "Supplement";
  chunks: AsyncIterable<Uint8Array>;
  onBytes?: (n: number) => void;
}

export interface TEmbeddedFileResult {
  filespec: TPdfRef;
  compressed: boolean;
  /** Set when the stream is deflated: the renderer writes the length here once the file is done. */
  lengthPatch: TLengthPatch | null;
}

export class EmbeddedFileMismatchError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(message);
    this.name = "EmbeddedFileMismatchError";
  }
}

export async function writeEmbeddedFile(doc: PDFKit.PDFDocument, file: TEmbeddedFileInput): Promise<TEmbeddedFileResult> {
  const pdf = pdfkitInternals(doc);
  const iterator = file.chunks[Symbol.asyncIterator]();
  let finished = false;
  try {
    // Read the head first: whether to deflate is decided on it.
    const head: Uint8Array[] = [];
    let headBytes = 0;
    while (headBytes < SAMPLE_BYTES) {
      const next = await iterator.next();
      if (next.done) {
        finished = true;
        break;
      }
      head.push(next.value);
      headBytes += next.value.length;
    }
    const sample = Buffer.concat(head, Math.min(headBytes, SAMPLE_BYTES));
    const compress = sample.length > 0 && deflateSync(sample).length <= sample.length * (1 - MIN_SAVING);

    const ref = pdf.ref({});
    ref.offset = pdf._offset;
    pdf._write(`${ref.id} 0 obj`);
    const dict =
      "<<\n/Type /EmbeddedFile\n" +
      `/Subtype /${pdfName(file.mediaType)}\n` +
      `/Params << /Size ${file.size} /ModDate ${pdfDate(file.modifiedAt)} >>\n` +
      (compress ? "/Filter /FlateDecode\n" : "") +
      "/Length ";
    let lengthPatch: TLengthPatch | null = null;
    if (compress) {
      lengthPatch = { position: pdf._offset + Buffer.byteLength(dict, "latin1"), length: 0 };
      pdf._write(`${dict}${" ".repeat(LENGTH_FIELD_WIDTH)}\n>>`);
    } else {
      // Stored as is: the length is the size, which is checked below.
      pdf._write(`${dict}${file.size}\n>>`);
    }
    pdf._write("stream");

    const hash = createHash("sha256");
    let size = 0;
    let stored = 0;
    const source = async function* () {
      yield* head;
      head.length = 0;
      while (!finished) {
        const next = await iterator.next();
        if (next.done) finished = true;
        else yield next.value;
      }
    };
    const measure = async function* (chunks: AsyncIterable<Uint8Array>) {
      for await (const chunk of chunks) {
        size += chunk.length;
        // Stop as soon as there are more bytes than recorded instead of writing them all.
        if (size > file.size) throw mismatch(file, `has more bytes than the ${file.size} recorded`);
        hash.update(chunk);
        file.onBytes?.(chunk.length);
        yield chunk;
      }
    };
    const sink = async (chunks: AsyncIterable<Uint8Array>) => {
      for await (const chunk of chunks) {
        pdf._write(chunk);
        stored += chunk.length;
      }
    };
    if (compress) await pipeline(source, measure, createDeflate({ level: zlibConstants.Z_DEFAULT_COMPRESSION }), sink);
    else await pipeline(source, measure, sink);

    if (size !== file.size) throw mismatch(file, `has ${size} bytes, ${file.size} recorded`);
    const digest = hash.digest("hex");
    if (digest !== file.sha256.toLowerCase()) throw mismatch(file, `has SHA-256 ${digest}, ${file.sha256} recorded`);

    pdf._write("\nendstream");
    pdf._write("endobj");
    pdf._refEnd(ref);
    if (lengthPatch) lengthPatch.length = stored;

    const filespec = pdf.ref({
      Type: "Filespec",
      F: new String(file.name),
      UF: new String(file.name),
      Desc: new String(file.description),
      EF: { F: ref, UF: ref },
      AFRelationship: file.relationship,
    });
    filespec.end();
    pdf.addNamedEmbeddedFile(file.name, filespec);
    const tree = pdf._root.data.Names.data.EmbeddedFiles;
    // The PDF spec sorts name-tree keys by their bytes; pdfkit sorts with localeCompare, which
    // differs for mixed case and non-ASCII names.
    if (tree) tree._compareKeys = compareKeyBytes;
    (pdf._root.data.AF ??= []).push(filespec);
    return { filespec, compressed: compress, lengthPatch };
  } finally {
    // Release the source (e.g. a database cursor or a file) when we stop early.
    if (!finished) await iterator.return?.();
  }
}

function mismatch(file: TEmbeddedFileInput, what: string) {
  return new EmbeddedFileMismatchError(
    file.name,
    `The stored bytes of "${file.name}" ${what}: the file is corrupted or was changed, and is not put into the evidence package.`,
  );
}

/** A PDF name: bytes outside printable ASCII and the delimiters are written as #xx. */
function pdfName(value: string): string {
  let out = "";
  for (const byte of Buffer.from(value, "utf8")) {
    const c = String.fromCharCode(byte);
    out += byte < 0x21 || byte > 0x7e || "()<>[]{}/%#".includes(c) ? `#${byte.toString(16).padStart(2, "0").toUpperCase()}` : c;
  }
  return out;
}

function pdfDate(d: Date): string {
  const iso = d.toISOString();
  return `(D:${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}${iso.slice(11, 13)}${iso.slice(14, 16)}${iso.slice(17, 19)}Z)`;
}

/** A key as pdfkit writes it: ASCII as is, anything else as UTF-16BE with a byte-order mark. */
function keyBytes(key: string): Buffer {
  if (/^[\x00-\x7f]*$/.test(key)) return Buffer.from(key, "latin1");
  const utf16 = Buffer.from(key, "utf16le").swap16();
  return Buffer.concat([Buffer.from([0xfe, 0xff]), utf16]);
}

function compareKeyBytes(a: string, b: string): number {
  return Buffer.compare(keyBytes(a), keyBytes(b));
}
