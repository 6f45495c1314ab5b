import "server-only";
import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { pipeline } from "node:stream/promises";
import { createInflate } from "node:zlib";
import { decodePdfText, type TPdfReader, type TPdfValue } from "./open-pdf-reader";

export interface TEmbeddedFile {
  /** Its key in the EmbeddedFiles name tree. */
  name: string;
  /** SHA-256 of the file's bytes (decompressed), lower-case hex; null when it could not be read. */
  sha256: string | null;
  size: number | null;
  /** Why the file could not be read (an unsupported filter, corrupt compressed data). */
  problem: string | null;
  /** The bytes, only for the names asked for in `keep` (the manifest), up to `maxKeepBytes`. */
  content?: Buffer;
}

const MAX_FILES = 100_000;
const MAX_TREE_DEPTH = 32;

/**
 * The files in the document's EmbeddedFiles name tree (what `doc.file` adds and `pdfdetach
 * -list` shows), each hashed with SHA-256 while its stream is read from disk and inflated in
 * chunks: a 200 MB attachment never sits in memory. Streams must be unfiltered or FlateDecode
 * without predictors, as Assay writes them; anything else is reported per file, not thrown.
 */
export async function readEmbeddedFiles(
  reader: TPdfReader,
  options: { keep?: readonly string[]; maxKeepBytes?: number } = {},
): Promise<{ files: TEmbeddedFile[]; problems: string[] }> {
  const problems: string[] = [];
  const entries = await listNameTree(reader, problems);
  const files: TEmbeddedFile[] = [];
  for (const { name, value } of entries) {
    const file: TEmbeddedFile = { name, sha256: null, size: null, problem: null };
    files.push(file);
    try {
      await hashEmbeddedFile(reader, value, file, options.keep?.includes(name) ? (options.maxKeepBytes ?? 16 * 1024 * 1024) : 0);
    } catch (e) {
      file.problem = e instanceof Error ? e.message : String(e);
    }
  }
  return { files, problems };
}

async function listNameTree(reader: TPdfReader, problems: string[]): Promise<{ name: string; value: TPdfValue }[]> {
  const root = await reader.resolve(reader.trailer.entries.get("Root"));
  if (root?.kind !== "dict") {
    problems.push("the document has no catalog");
    return [];
  }
  const names = await reader.resolve(root.entries.get("Names"));
  const tree = names?.kind === "dict" ? names.entries.get("EmbeddedFiles") : undefined;
  if (!tree) return [];

  const out: { name: string; value: TPdfValue }[] = [];
  const seen = new Set<string>();
  const walk = async (node: TPdfValue, depth: number): Promise<void> => {
    if (depth > MAX_TREE_DEPTH) throw new Error("the embedded-files tree is too deep");
    if (node.kind === "ref") {
      const key = `${node.num} ${node.gen}`;
      if (seen.has(key)) throw new Error("the embedded-files tree has a loop");
      seen.add(key);
    }
    const dict = await reader.resolve(node);
    if (dict?.kind !== "dict") throw new Error("a node of the embedded-files tree is not a dictionary");
    const leaves = await reader.resolve(dict.entries.get("Names"));
    if (leaves?.kind === "array") {
      for (let i = 0; i + 1 < leaves.items.length; i += 2) {
        const key = leaves.items[i]!;
        if (key.kind !== "string") throw new Error("a key of the embedded-files tree is not a string");
        out.push({ name: decodePdfText(key.bytes), value: leaves.items[i + 1]! });
        if (out.length > MAX_FILES) throw new Error(`more than ${MAX_FILES} embedded files`);
      }
    }
    const kids = await reader.resolve(dict.entries.get("Kids"));
    if (kids?.kind === "array") for (const kid of kids.items) await walk(kid, depth + 1);
  };
  try {
    await walk(tree, 0);
  } catch (e) {
    problems.push(e instanceof Error ? e.message : String(e));
  }
  return out;
}

async function hashEmbeddedFile(reader: TPdfReader, fileSpec: TPdfValue, file: TEmbeddedFile, keepUpTo: number): Promise<void> {
  const spec = await reader.resolve(fileSpec);
  if (spec?.kind !== "dict") throw new Error("its file specification is not a dictionary");
  const ef = await reader.resolve(spec.entries.get("EF"));
  const ref = ef?.kind === "dict" ? (ef.entries.get("F") ?? ef.entries.get("UF")) : undefined;
  if (ref?.kind !== "ref") throw new Error("it has no embedded file stream");
  const stream = await reader.getObject(ref.num, ref.gen);
  if (stream.value.kind !== "dict" || stream.streamStart === null) throw new Error("its embedded file is not a stream");

  const length = await reader.resolve(stream.value.entries.get("Length"));
  if (length?.kind !== "number" || !Number.isSafeInteger(length.value) || length.value < 0) throw new Error("its stream has no valid /Length");
  if (stream.streamStart + length.value > reader.size) throw new Error("its stream runs past the end of the file");

  const filter = await reader.resolve(stream.value.entries.get("Filter"));
  const filters = filter === undefined || filter.kind === "null" ? [] : filter.kind === "array" ? filter.items : [filter];
  const names = filters.map((f) => (f.kind === "name" ? f.value : "?"));
  const flate = names.length === 1 && names[0] === "FlateDecode";
  if (names.length > 1 || (names.length === 1 && !flate)) throw new Error(`its stream uses an unsupported filter (${names.join(", ")})`);
  const parms = await reader.resolve(stream.value.entries.get("DecodeParms"));
  if (parms && parms.kind !== "null") throw new Error("its stream uses decode parameters (predictors), which Assay does not write");

  const hash = createHash("sha256");
  const kept: Buffer[] = [];
  let size = 0;
  const sink = async (source: AsyncIterable<Buffer>) => {
    for await (const chunk of source) {
      hash.update(chunk);
      size += chunk.length;
      if (keepUpTo > 0) {
        if (size > keepUpTo) throw new Error(`it is larger than ${keepUpTo} bytes`);
        kept.push(chunk);
      }
    }
  };
  const source = createReadStream(reader.path, { start: stream.streamStart, end: stream.streamStart + length.value - 1, highWaterMark: 1024 * 1024 });
  try {
    if (length.value === 0) await sink((async function* () {})());
    else if (flate) await pipeline(source, createInflate(), sink);
    else await pipeline(source, sink);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new Error(code?.startsWith("Z_") ? "its compressed data is corrupt" : e instanceof Error ? e.message : String(e));
  } finally {
    source.destroy();
  }
  file.sha256 = hash.digest("hex");
  file.size = size;
  if (keepUpTo > 0) file.content = Buffer.concat(kept);
}
