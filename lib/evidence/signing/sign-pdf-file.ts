import "server-only";
import { createHash } from "node:crypto";
import { open } from "node:fs/promises";
import { AppError } from "@/lib/errors";
import { findSignatures } from "@/lib/evidence/verify/find-signatures";
import { hashFileRange } from "@/lib/evidence/verify/hash-file-range";
import { openPdfReader, type TPdfDict, type TPdfValue } from "@/lib/evidence/verify/open-pdf-reader";
import { createCmsSignature } from "./create-cms-signature";
import type { TCertificateDescription, TSigner } from "./signer";

export interface TSignedPdf {
  /** SHA-256 of the signed file, lower-case hex (for the issuing record and the download). */
  sha256: string;
  size: number;
  signedAt: Date;
  signer: TCertificateDescription;
  timestamped: boolean;
  timestamp: { time: Date; tsa: string } | null;
}

/** What pdfkitAddPlaceholder writes for /ByteRange: 0 and three names of ten asterisks. */
const PLACEHOLDER_NAME = "**********";

/**
 * Signs, in place, a finished PDF on disk that has a signature placeholder
 * (addSignaturePlaceholder). Instead of loading the file (`SignPdf.sign` would copy it several
 * times over: packages carry 100–200 MB of attachments), it finds the placeholder through the
 * PDF's object graph, writes the real /ByteRange (same width, space padded), streams SHA-256 over
 * both ranges from disk, builds the CMS over that digest (with an RFC 3161 timestamp when
 * `tsaUrl` is given) and writes its hex into /Contents, zero padded. Memory stays flat.
 *
 * On failure the file is left unsigned or half-written: the caller discards it.
 */
export async function signPdfFile(options: { path: string; signer: TSigner; tsaUrl?: string; signedAt?: Date }): Promise<TSignedPdf> {
  const { path, signer } = options;
  // Whole seconds: what the CMS signingTime (UTCTime) can hold, so the returned time and the one
  // a verifier reads are the same.
  const signedAt = new Date(Math.floor((options.signedAt ?? new Date()).getTime() / 1000) * 1000);
  const { size, byteRange, contents } = await locatePlaceholder(path);

  const ranges = [0, contents.start, contents.end, size - contents.end] as const;
  const width = byteRange.end - byteRange.start;
  const text = `[0 ${ranges[1]} ${ranges[2]} ${ranges[3]}`;
  if (text.length + 1 > width) throw new Error(`The /ByteRange placeholder (${width} bytes) is too narrow for ${text}].`);
  const byteRangeText = `${text}${" ".repeat(width - text.length - 1)}]`;

  const fh = await open(path, "r+");
  try {
    await fh.write(Buffer.from(byteRangeText, "latin1"), 0, width, byteRange.start);

    // One pass over the signed bytes gives the document digest; the file's own SHA-256 shares
    // its first range (a copy of the hash state), so only the second range is read twice.
    const rangeHash = createHash("sha256");
    await hashFileRange(rangeHash, path, 0, ranges[1]);
    const fileHash = rangeHash.copy();
    await hashFileRange(rangeHash, path, ranges[2], ranges[3]);
    const digest = rangeHash.digest();

    const cms = await createCmsSignature({ signer, digest, signedAt, tsaUrl: options.tsaUrl });
    const capacity = contents.end - contents.start - 2;
    const hex = cms.der.toString("hex");
    if (hex.length > capacity) {
      throw new AppError(
        "TOO_LARGE",
        `The signature needs ${cms.der.length} bytes but the package reserves ${capacity / 2}: ` +
          "reserve more with addSignaturePlaceholder's signatureBytes (a long certificate chain or timestamp).",
      );
    }
    const gap = Buffer.alloc(capacity + 2, "0", "latin1");
    gap.write("<", 0, "latin1");
    gap.write(hex, 1, "latin1");
    gap.write(">", capacity + 1, "latin1");
    await fh.write(gap, 0, gap.length, contents.start);
    await fh.sync();

    fileHash.update(gap);
    await hashFileRange(fileHash, path, ranges[2], ranges[3]);
    return {
      sha256: fileHash.digest("hex"),
      size,
      signedAt,
      signer: signer.describe(),
      timestamped: cms.timestamp !== null,
      timestamp: cms.timestamp,
    };
  } finally {
    await fh.close();
  }
}

async function locatePlaceholder(path: string): Promise<{ size: number; byteRange: TPdfValue; contents: TPdfValue }> {
  const reader = await openPdfReader(path);
  try {
    const placeholders = (await findSignatures(reader)).map((s) => s.dict).filter(isPlaceholder);
    if (placeholders.length !== 1) {
      throw new Error(`${path} has ${placeholders.length} signature placeholders; addSignaturePlaceholder must have added exactly one.`);
    }
    const dict = placeholders[0]!;
    const byteRange = dict.entries.get("ByteRange")!;
    const contents = dict.entries.get("Contents")!;
    // The blank must be what pdfkit wrote: "<" + zeros + ">", nothing else in between.
    const raw = await reader.read(contents.start, contents.end - contents.start);
    if (raw[0] !== 0x3c || raw[raw.length - 1] !== 0x3e || !/^0+$/.test(raw.toString("latin1", 1, raw.length - 1))) {
      throw new Error(`The signature placeholder's /Contents in ${path} is not blank.`);
    }
    return { size: reader.size, byteRange, contents };
  } finally {
    await reader.close();
  }
}

function isPlaceholder(dict: TPdfDict): boolean {
  const range = dict.entries.get("ByteRange");
  const contents = dict.entries.get("Contents");
  if (range?.kind !== "array" || contents?.kind !== "string" || !contents.hex) return false;
  const [first, ...rest] = range.items;
  return range.items.length === 4 && first?.kind === "number" && first.value === 0 && rest.every((v) => v.kind === "name" && v.value === PLACEHOLDER_NAME);
}
