import { createHash } from "node:crypto";
import { createWriteStream } from "node:fs";
import { finished } from "node:stream/promises";
import PDFDocument from "pdfkit";
import { EVIDENCE_MANIFEST_FORMAT, EVIDENCE_MANIFEST_NAME, type TEvidenceManifest } from "@/lib/evidence/manifest";
import { addSignaturePlaceholder } from "@/lib/evidence/signing/add-signature-placeholder";

// A small stand-in for the real renderer: a few pages of text, embedded files, the manifest
// that lists them (with their real hashes unless a test edits it), and the signature placeholder.

export interface TTestAttachment {
  name: string;
  data: Buffer;
  mediaType: string;
  /** false: stored uncompressed (as the renderer does with incompressible files). */
  compress?: boolean;
}

export async function buildTestPdf(
  path: string,
  options: {
    attachments?: TTestAttachment[];
    /** false: no manifest.json; a function: edit the manifest before it is embedded. */
    manifest?: false | ((manifest: TEvidenceManifest) => unknown);
    signatureBytes?: number;
  } = {},
): Promise<void> {
  const doc = new PDFDocument({ info: { Title: "Evidence package (test)", Producer: "PDFKit" } });
  const written = finished(doc.pipe(createWriteStream(path)));
  for (let page = 1; page <= 3; page++) {
    if (page > 1) doc.addPage();
    doc.fontSize(18).text(`Vendor assessment, page ${page}`);
    doc.fontSize(11).text("Q: Do you encrypt data at rest? A: Yes, AES-256 with keys in a managed KMS.".repeat(4));
  }
  const attachments = options.attachments ?? [];
  for (const a of attachments) {
    const compress = doc.compress;
    if (a.compress === false) doc.compress = false;
    doc.file(a.data, { name: a.name, type: a.mediaType });
    doc.compress = compress;
  }
  if (options.manifest !== false) {
    const manifest: TEvidenceManifest = {
      format: EVIDENCE_MANIFEST_FORMAT,
      audit: { vendor: "Example Vendor", questionnaire: "baseline/1" },
      attachments: attachments.map((a) => ({
        embeddedName: a.name,
        fileName: a.name,
        sha256: createHash("sha256").update(a.data).digest("hex"),
        size: a.data.length,
        mediaType: a.mediaType,
      })),
    };
    const edited = options.manifest ? options.manifest(manifest) : manifest;
    doc.file(Buffer.from(JSON.stringify(edited)), { name: EVIDENCE_MANIFEST_NAME, type: "application/json" });
  }
  addSignaturePlaceholder(doc, {
    name: "Assay test",
    reason: "Evidence package issued by Assay",
    location: "Test suite",
    signatureBytes: options.signatureBytes,
  });
  doc.end();
  await written;
}
