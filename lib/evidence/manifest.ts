import { z } from "zod";

// The contract between the renderer (which embeds the manifest) and the verifier (which checks
// every embedded file against it). The manifest is an embedded file named `manifest.json`; it is
// covered by the PDF signature like everything else, so a verified manifest vouches for every
// attachment's bytes. Only `format` and `attachments` are checked; the rest (audit, answers,
// ratings, verdict) is free-form for the renderer, and kept when the verifier parses it.

export const EVIDENCE_MANIFEST_FORMAT = "assay-evidence-package/1";
export const EVIDENCE_MANIFEST_NAME = "manifest.json";

export const ZEvidenceManifestAttachment = z.object({
  /** The key in the PDF's EmbeddedFiles name tree (unique within the package). */
  embeddedName: z.string().min(1),
  /** The file name as uploaded (cleaned), shown to people. */
  fileName: z.string().min(1),
  /** SHA-256 of the file's bytes (not of the compressed PDF stream), lower-case hex. */
  sha256: z.string().regex(/^[0-9a-f]{64}$/, "lower-case hex SHA-256"),
  size: z.number().int().nonnegative(),
  mediaType: z.string().min(1),
});

export const ZEvidenceManifest = z
  .object({
    format: z.literal(EVIDENCE_MANIFEST_FORMAT),
    attachments: z.array(ZEvidenceManifestAttachment),
  })
  .loose();

export type TEvidenceManifestAttachment = z.infer<typeof ZEvidenceManifestAttachment>;
export type TEvidenceManifest = z.infer<typeof ZEvidenceManifest>;
