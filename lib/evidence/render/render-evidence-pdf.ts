import "server-only";
import { createHash } from "node:crypto";
import { closeSync, fstatSync, openSync, unlinkSync, writeSync } from "node:fs";
import { once } from "node:events";
import PDFDocument from "pdfkit";
import { EVIDENCE_MANIFEST_NAME } from "../manifest";
import { buildEvidenceManifest } from "./build-evidence-manifest";
import { buildPackageView, type TPackageView } from "./build-package-view";
import { drawAbout } from "./draw-about";
import { drawAttachmentIndex } from "./draw-attachment-index";
import { countContentsPages, drawContents } from "./draw-contents";
import { drawCover } from "./draw-cover";
import { drawChecklist } from "./draw-checklist";
import { drawEventTrail } from "./draw-event-trail";
import { drawPageFurniture } from "./draw-page-furniture";
import { drawSections } from "./draw-sections";
import { drawSummary } from "./draw-summary";
import { FONT_NAMES, fontBytes } from "./fonts";
import type { TEvidencePackageManifest } from "./manifest-types";
import type { TEvidencePackageData } from "./package-data";
import { pdfkitInternals } from "./pdfkit-internals";
import { RenderContext, type TChapter } from "./render-context";
import { PAGE, Typesetter } from "./typesetter";
import { LENGTH_FIELD_WIDTH, writeEmbeddedFile, type TLengthPatch } from "./write-embedded-file";

// Renders the evidence package of one audit to a PDF file, streamed: pdfkit's output goes to the
// file as it is produced (fs.writeSync in the 'data' handler: pdfkit ignores back-pressure, and
// collecting the chunks would keep the whole PDF in memory), and the attachments are copied into
// it chunk by chunk (write-embedded-file.ts). Memory is bounded by the pages' text, the fonts and
// one chunk of attachment, whatever the attachments weigh.
//
// Order in the file: the embedded files first (so a corrupted attachment fails the render before
// any drawing), then the pages (buffered by pdfkit until the end, because the table of contents
// and "page N of M" need the final page numbers), then pdfkit's closing objects and xref table.

export interface TRenderProgress {
  /** "attachments": bytes embedded so far; "rendering": questions drawn so far. */
  phase: "rendering" | "attachments";
  done: number;
  total: number;
}

export interface TRenderEvidencePdfOptions {
  data: TEvidencePackageData;
  /** Written (truncated first); removed again when rendering fails. */
  outPath: string;
  /** Include the audit team's internal notes in the clarification threads (default: no). */
  includeInternalNotes?: boolean;
  /**
   * Called right before `doc.end()`, with every page drawn and the last page current: where a
   * signature placeholder goes (@signpdf/placeholder-pdfkit's pdfkitAddPlaceholder).
   */
  beforeEnd?: (doc: PDFKit.PDFDocument) => void;
  onProgress?: (progress: TRenderProgress) => void;
}

export interface TRenderEvidencePdfResult {
  manifest: TEvidencePackageManifest;
  /** The exact bytes embedded as manifest.json (UTF-8), to store or offer beside the PDF. */
  manifestJson: string;
  pages: number;
  /** Size of the written PDF. */
  bytes: number;
}

export async function renderEvidencePdf(options: TRenderEvidencePdfOptions): Promise<TRenderEvidencePdfResult> {
  const { data, outPath, onProgress } = options;
  checkAttachments(data);
  const view = buildPackageView(data, { includeInternalNotes: options.includeInternalNotes ?? false });
  const manifest = buildEvidenceManifest(view);
  const manifestJson = `${JSON.stringify(manifest, null, 2)}\n`;
  const manifestBytes = Buffer.from(manifestJson, "utf8");
  const manifestSha256 = createHash("sha256").update(manifestBytes).digest("hex");

  const fd = openSync(outPath, "w");
  let open = true;
  try {
    const doc = new PDFDocument({
      autoFirstPage: false,
      bufferPages: true,
      pdfVersion: "1.7",
      size: PAGE.size,
      margins: PAGE.margins,
      // Our own font from the start: pdfkit's default, Helvetica, is read from AFM files beside
      // pdfkit's code, which bundlers do not copy. pdfkit takes the bytes (its types say string);
      // the font registers under its PostScript name, the same as FONT_NAMES.sans, so it is
      // parsed once.
      font: fontBytes(FONT_NAMES.sans) as unknown as string,
      lang: "en",
      displayTitle: true,
      info: {
        Title: `Evidence package: ${data.audit.providerName} — ${data.audit.title}`,
        Author: data.package.issuedBy,
        Subject: `${data.questionnaire.title} ${data.questionnaire.version}`,
        Keywords: `assay evidence package v${data.package.version}; audit ${data.audit.id}`,
        Creator: "Assay",
        Producer: "Assay (pdfkit)",
        CreationDate: new Date(data.package.issuedAt),
      },
    });
    const pdf = pdfkitInternals(doc);
    doc.on("data", (chunk: Uint8Array) => writeAll(fd, chunk));
    // Let the stream start flowing, so that every later write reaches the file at once.
    await new Promise((resolve) => setImmediate(resolve));

    const patches: TLengthPatch[] = [];
    const total = view.attachments.reduce((sum, a) => sum + a.attachment.size, 0);
    let done = 0;
    onProgress?.({ phase: "attachments", done, total });
    for (const a of view.attachments) {
      const file = a.attachment;
      const embedded = await writeEmbeddedFile(doc, {
        name: a.embeddedName,
        description: `${a.label}: ${file.fileName} (${file.mediaType}), uploaded by ${file.uploadedBy ?? "unknown"}`,
        mediaType: file.mediaType,
        size: file.size,
        sha256: file.sha256,
        modifiedAt: new Date(file.uploadedAt),
        relationship: "Supplement",
        chunks: file.open(),
        onBytes: (n) => {
          done += n;
          onProgress?.({ phase: "attachments", done, total });
        },
      });
      if (embedded.lengthPatch) patches.push(embedded.lengthPatch);
    }
    const embeddedManifest = await writeEmbeddedFile(doc, {
      name: EVIDENCE_MANIFEST_NAME,
      description: "Machine-readable record of this evidence package (answers, ratings, verdict, file hashes)",
      mediaType: "application/json",
      size: manifestBytes.length,
      sha256: manifestSha256,
      modifiedAt: new Date(data.package.issuedAt),
      relationship: "Data",
      chunks: (async function* () {
        yield manifestBytes;
      })(),
    });
    if (embeddedManifest.lengthPatch) patches.push(embeddedManifest.lengthPatch);

    const ts = new Typesetter(doc);
    const ctx = new RenderContext(ts, view);
    drawCover(ctx);
    const planned = plannedChapters(view);
    const contentsStart = ts.pageNumber();
    const contentsPages = countContentsPages(ts, planned);
    for (let i = 0; i < contentsPages; i++) ts.addPage();

    const questions = view.questions.length;
    let drawn = 0;
    onProgress?.({ phase: "rendering", done: 0, total: questions });
    drawSummary(ctx);
    drawSections(ctx, () => onProgress?.({ phase: "rendering", done: ++drawn, total: questions }));
    drawChecklist(ctx);
    drawAttachmentIndex(ctx);
    drawEventTrail(ctx);
    drawAbout(ctx, manifestSha256);
    if (ctx.chapters.map((c) => c.title).join("\n") !== planned.map((c) => c.title).join("\n"))
      throw new Error("the chapters drawn differ from the planned table of contents");
    drawContents(ctx, contentsStart);
    drawPageFurniture(ctx);
    const pages = doc.bufferedPageRange().count;

    options.beforeEnd?.(doc);
    const ended = once(doc, "end");
    doc.end();
    // pdfkit writes its xref table only once every object it handed out has been written.
    if (pdf._waiting !== 0) throw new Error(`${pdf._waiting} PDF object(s) were left unwritten; the file would be incomplete`);
    await ended;

    for (const p of patches) {
      const digits = Buffer.from(String(p.length).padEnd(LENGTH_FIELD_WIDTH, " "), "latin1");
      if (digits.length !== LENGTH_FIELD_WIDTH) throw new Error("embedded file too large for its length field");
      writeSync(fd, digits, 0, digits.length, p.position);
    }
    const bytes = fstatSync(fd).size;
    closeSync(fd);
    open = false;
    return { manifest, manifestJson, pages, bytes };
  } catch (e) {
    if (open) closeSync(fd);
    try {
      unlinkSync(outPath);
    } catch {
      // Already gone.
    }
    throw e;
  }
}

function plannedChapters(view: TPackageView): Pick<TChapter, "title" | "level">[] {
  return [
    { title: "Summary", level: 1 },
    ...view.sections.flatMap((s) => [
      { title: `${s.number}  ${s.section.title}`, level: 1 as const },
      ...s.groups.flatMap((g) => (g.group.title ? [{ title: g.group.title, level: 2 as const }] : [])),
    ]),
    { title: "Evidence checklist", level: 1 },
    { title: "Attachment index", level: 1 },
    { title: "Appendix: event trail", level: 1 },
    { title: "About this package", level: 1 },
  ];
}

function checkAttachments(data: TEvidencePackageData) {
  for (const a of data.attachments) {
    if (!/^[0-9a-f]{64}$/i.test(a.sha256)) throw new Error(`attachment ${a.id} ("${a.fileName}") has no valid SHA-256`);
    if (!Number.isSafeInteger(a.size) || a.size < 0) throw new Error(`attachment ${a.id} ("${a.fileName}") has an invalid size`);
  }
}

function writeAll(fd: number, chunk: Uint8Array) {
  let offset = 0;
  while (offset < chunk.length) offset += writeSync(fd, chunk, offset, chunk.length - offset);
}
