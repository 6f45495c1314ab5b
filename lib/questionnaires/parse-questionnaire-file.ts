import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import path from "node:path";
import { isCollection, isMap, isPair, isScalar, isSeq, LineCounter, parseDocument, type Document, type Node } from "yaml";
import type { z } from "zod";
import { ZQuestionnaire, type TQuestionnaire } from "./schema";

// Parses one questionnaire file into the validated questionnaire and its content hash.
// Pure apart from `listQuestionnaireFiles`: no database, no server-only, so the loader, the CLI and
// the unit tests share it. Every error points at a line and column of the file, because the
// people who read these errors are questionnaire authors looking at the YAML, not at the schema.

export interface TQuestionnaireFileError {
  file: string;
  /** 1-based; absent only when the error is about the file as a whole. */
  line?: number;
  column?: number;
  /** Where in the document, e.g. `sections[0].groups[1].questions[2].when`; "" for the whole file. */
  path: string;
  message: string;
}

export type TParseQuestionnaireFileResult =
  | { ok: true; questionnaire: TQuestionnaire; contentHash: string; canonical: string }
  | { ok: false; errors: TQuestionnaireFileError[] };

/** `questionnaires/<slug>/<version>.yaml`, with either path separator. */
const FILE_PATH = /(?:^|[\\/])questionnaires[\\/]([^\\/]+)[\\/]([^\\/]+)\.yaml$/;

export function parseQuestionnaireFile({ file, text }: { file: string; text: string }): TParseQuestionnaireFileResult {
  const lineCounter = new LineCounter();
  // prettyErrors off: we compute positions ourselves and want the bare reason in the message.
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number | undefined) => {
    if (offset === undefined) return { line: 1, column: 1 };
    const { line, col } = lineCounter.linePos(offset);
    return { line, column: col };
  };

  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: sortErrors(doc.errors.map((e) => ({ file, ...at(e.pos[0]), path: "", message: `YAML syntax: ${e.message}` }))),
    };
  }

  let data: unknown;
  try {
    data = doc.toJS();
  } catch (e) {
    // e.g. an alias bomb: toJS refuses excessive alias expansion.
    return { ok: false, errors: [{ file, line: 1, column: 1, path: "", message: `YAML: ${e instanceof Error ? e.message : String(e)}` }] };
  }
  if (data === null || data === undefined)
    return { ok: false, errors: [{ file, line: 1, column: 1, path: "", message: "the file is empty; expected a questionnaire (format, slug, version, …)" }] };
  const errors: TQuestionnaireFileError[] = [];
  const report = (issuePath: (string | number)[], message: string, preferKey = false) => {
    const found = locate(doc, issuePath, preferKey);
    errors.push({ file, ...at(found.offset), path: formatPath(issuePath), message });
  };

  const parsed = ZQuestionnaire.safeParse(data);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) reportIssue(issue, doc, report);
  }

  // The path names the slug and the version, so that a copy made to start a new version cannot
  // silently keep the old version number (and thereby the old content hash's identity).
  const m = FILE_PATH.exec(file);
  if (m && data !== null && typeof data === "object") {
    const [, slug, version] = m;
    const record = data as Record<string, unknown>;
    if (typeof record.slug === "string" && record.slug !== slug)
      report(["slug"], `slug "${record.slug}" does not match the directory "${slug}" (expected questionnaires/<slug>/<version>.yaml)`);
    if (typeof record.version === "string" && record.version !== version)
      report(["version"], `version "${record.version}" does not match the file name "${version}.yaml" (expected questionnaires/<slug>/<version>.yaml)`);
  }

  if (errors.length > 0 || !parsed.success) return { ok: false, errors: sortErrors(errors) };

  const canonical = canonicalJson(parsed.data);
  return {
    ok: true,
    questionnaire: parsed.data,
    canonical,
    contentHash: createHash("sha256").update(canonical, "utf8").digest("hex"),
  };
}

/** One error per line: `file:line:column path: reason`, for a thrown Error or the CLI. */
export function formatQuestionnaireErrors(errors: readonly TQuestionnaireFileError[]): string {
  return errors
    .map((e) => {
      const where = e.line === undefined ? e.file : `${e.file}:${e.line}:${e.column ?? 1}`;
      return e.path ? `${where} ${e.path}: ${e.message}` : `${where}: ${e.message}`;
    })
    .join("\n");
}

/**
 * The questionnaire files under `dir`: every `<dir>/<slug>/<name>.yaml`, sorted by slug, then by
 * version (numerically, so 1.10.0 comes after 1.9.0). Names that are not versions are listed too,
 * so that the parser reports them instead of the loader silently skipping them.
 */
export function listQuestionnaireFiles(dir: string): string[] {
  const files: { slug: string; name: string; file: string }[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (!entry.isDirectory() || entry.name.startsWith(".")) continue;
    for (const child of readdirSync(path.join(dir, entry.name), { withFileTypes: true })) {
      if (!child.isFile() || !child.name.endsWith(".yaml")) continue;
      files.push({ slug: entry.name, name: child.name.slice(0, -".yaml".length), file: path.join(dir, entry.name, child.name) });
    }
  }
  return files
    .sort((a, b) => compareStrings(a.slug, b.slug) || compareVersions(a.name, b.name))
    .map((f) => f.file);
}

/** JSON with object keys sorted at every depth and no whitespace: comments, key order and layout don't count. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(sortKeysDeep(value));
}

function sortKeysDeep(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeysDeep);
  if (value !== null && typeof value === "object") {
    const out: Record<string, unknown> = {};
    for (const key of Object.keys(value).sort(compareStrings)) out[key] = sortKeysDeep((value as Record<string, unknown>)[key]);
    return out;
  }
  return value;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareVersions(a: string, b: string): number {
  const pa = /^(\d+)\.(\d+)\.(\d+)$/.exec(a);
  const pb = /^(\d+)\.(\d+)\.(\d+)$/.exec(b);
  if (!pa || !pb) return pa ? -1 : pb ? 1 : compareStrings(a, b);
  for (let i = 1; i <= 3; i++) {
    const d = Number(pa[i]) - Number(pb[i]);
    if (d !== 0) return d;
  }
  return 0;
}

function sortErrors(errors: TQuestionnaireFileError[]): TQuestionnaireFileError[] {
  return [...errors].sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
}

function formatPath(p: readonly (string | number)[]): string {
  let out = "";
  for (const seg of p) out += typeof seg === "number" ? `[${seg}]` : out ? `.${seg}` : seg;
  return out;
}

type TReport = (issuePath: (string | number)[], message: string, preferKey?: boolean) => void;

function reportIssue(issue: z.core.$ZodIssue, doc: Document, report: TReport) {
  const issuePath = issue.path.filter((s): s is string | number => typeof s !== "symbol");
  if (issue.code === "unrecognized_keys") {
    // One error per key, at the key itself, so that a typo is shown where it was typed.
    for (const key of issue.keys) report([...issuePath, key], `unknown field "${key}"`, true);
    return;
  }
  const last = issuePath[issuePath.length - 1];
  // A type or enum issue on a key that is not in the file means the field is missing; say so
  // rather than "expected string, received undefined".
  if (issue.code !== "custom" && typeof last === "string" && !locate(doc, issuePath, false).resolved) {
    report(issuePath, `missing required field "${last}"`);
    return;
  }
  report(issuePath, issue.message);
}

/**
 * The position of the node at `p`, or of the nearest existing parent when the path leads to
 * something absent (a missing field is reported at the mapping that lacks it). A collection value
 * is reported at its key, because a block collection starts on the line after the key.
 */
function locate(doc: Document, p: readonly (string | number)[], preferKey: boolean): { offset?: number; resolved: boolean } {
  let current: unknown = doc.contents;
  let offset = rangeStart(current);
  let keyOffset: number | undefined;
  for (const seg of p) {
    if (isMap(current)) {
      const pair = current.items.find((it) => isPair(it) && keyText(it.key) === String(seg));
      if (!pair) return { offset, resolved: false };
      keyOffset = rangeStart(pair.key);
      current = pair.value;
      offset = rangeStart(current) ?? keyOffset;
    } else if (isSeq(current) && typeof seg === "number") {
      const item: unknown = current.items[seg];
      if (item === undefined) return { offset, resolved: false };
      keyOffset = undefined;
      current = item;
      offset = rangeStart(current) ?? offset;
    } else {
      return { offset, resolved: false };
    }
  }
  if (keyOffset !== undefined && (preferKey || isCollection(current))) offset = keyOffset;
  return { offset, resolved: true };
}

function keyText(key: unknown): string | undefined {
  if (isScalar(key)) return String(key.value);
  return typeof key === "string" ? key : undefined;
}

function rangeStart(node: unknown): number | undefined {
  const range = (node as Node | null | undefined)?.range;
  return range ? range[0] : undefined;
}
