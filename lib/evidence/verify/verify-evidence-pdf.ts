import "server-only";
import { createHash, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import { EVIDENCE_MANIFEST_NAME, ZEvidenceManifest, type TEvidenceManifest } from "@/lib/evidence/manifest";
import { OID } from "@/lib/evidence/signing/cms-oids";
import { describeCertificate, isSelfSigned } from "@/lib/evidence/signing/describe-certificate";
import type { TCertificateDescription } from "@/lib/evidence/signing/signer";
import { checkSignerInfo, type TSignerInfoCheck } from "./check-signer-info";
import { findSignatures } from "./find-signatures";
import { hashFileRange } from "./hash-file-range";
import { openPdfReader, PdfReadError, type TPdfReader, type TPdfValue } from "./open-pdf-reader";
import { readEmbeddedFiles } from "./read-embedded-files";
import { readSignedData, type TSignedDataFile } from "./read-signed-data";
import { verifyTimestampToken } from "./verify-timestamp-token";

export interface TEvidenceCheck {
  /** What was checked, e.g. "Document digest". */
  name: string;
  ok: boolean;
  /** A sentence for people: what was found. */
  detail: string;
}

export interface TEvidenceAttachment {
  name: string;
  sha256: string | null;
  size: number | null;
  matchesManifest: boolean;
}

export interface TEvidenceVerification {
  /** True only when every check passed. */
  valid: boolean;
  /** The failed checks' findings; empty when valid. */
  problems: string[];
  /** What a reader should know even when valid (a self-signed certificate, no timestamp). */
  notes: string[];
  /** Every check in the order made, passed or failed. */
  checks: TEvidenceCheck[];
  fileSize: number;
  signer: TCertificateDescription | null;
  /** The signingTime the signer put in the signature (its own claim; a timestamp is independent). */
  signedAt: Date | null;
  timestamp: { time: Date; tsa: string; serial: string } | null;
  coversWholeFile: boolean;
  /** Bytes after the end of the signed ranges (an incremental update, or anything appended). */
  appendedBytes: number;
  attachments: TEvidenceAttachment[];
  /** The manifest.json found in the package, as parsed (null when absent or not JSON). */
  manifest: unknown;
}

/** The value of /Contents can hold a few KiB of CMS; more than this is not a signature of ours. */
const MAX_SIGNATURE_BYTES = 1024 * 1024;

/**
 * Verifies a signed evidence package without Assay's database or configuration: that it has
 * exactly one signature (adbe.pkcs7.detached) whose byte ranges leave out only its own value and
 * reach the end of the file; that the padding after the CMS is zeros; that the document's digest
 * (streamed from disk) is the signed one and the signature verifies with the embedded certificate,
 * valid at signing time; that a timestamp, when present, is over this signature and verifies; and
 * that every embedded file matches manifest.json (and every file in the manifest is embedded).
 *
 * Memory stays flat however large the package: the file is read in bounded windows and hashed as
 * a stream. A malformed file gives failed checks, never an exception; only a file that cannot be
 * opened at all (missing, unreadable) throws.
 */
export async function verifyEvidencePdf(path: string): Promise<TEvidenceVerification> {
  const result: TEvidenceVerification = {
    valid: false,
    problems: [],
    notes: [],
    checks: [],
    fileSize: 0,
    signer: null,
    signedAt: null,
    timestamp: null,
    coversWholeFile: false,
    appendedBytes: 0,
    attachments: [],
    manifest: null,
  };
  const check = (name: string, ok: boolean, detail: string) => {
    result.checks.push({ name, ok, detail });
    return ok;
  };

  let reader: TPdfReader;
  try {
    reader = await openPdfReader(path);
  } catch (e) {
    if (!(e instanceof PdfReadError)) throw e;
    check("PDF structure", false, e.unsupported ? `The file's structure is not one Assay writes: ${e.message}.` : `The file cannot be read as a PDF: ${e.message}.`);
    return finish(result);
  }
  try {
    result.fileSize = reader.size;
    check("PDF structure", true, `Readable (${reader.size.toLocaleString("en")} bytes).`);
    // Attachments are checked even when the signature is not, so that the report says as much
    // as can be known; every early stop in verifySignature records a failed check.
    await verifySignature(reader, result, check);
    await verifyAttachments(reader, result, check);
  } catch (e) {
    // A malformed object deep inside (a broken name tree, a reference to nowhere).
    check("PDF structure", false, `The file cannot be read as a PDF: ${e instanceof Error ? e.message : String(e)}.`);
  } finally {
    await reader.close();
  }
  return finish(result);
}

function finish(result: TEvidenceVerification): TEvidenceVerification {
  result.problems = result.checks.filter((c) => !c.ok).map((c) => c.detail);
  result.valid = result.checks.length > 0 && result.problems.length === 0;
  return result;
}

type TCheck = (name: string, ok: boolean, detail: string) => boolean;

async function verifySignature(reader: TPdfReader, result: TEvidenceVerification, check: TCheck): Promise<void> {
  const signatures = await findSignatures(reader);
  const count = signatures.length;
  const counted = count === 0 ? "The document is not signed." : `The document has ${count} signatures; an Assay package has exactly one.`;
  if (!check("One signature", count === 1, count === 1 ? "The document has one signature." : counted)) return;
  const { dict } = signatures[0]!;
  const subFilter = dict.entries.get("SubFilter");
  const subFilterName = subFilter?.kind === "name" ? subFilter.value : "none";
  const detached = subFilterName === "adbe.pkcs7.detached";
  if (!check("Signature type", detached, detached ? "adbe.pkcs7.detached (CMS)." : `The signature is of type ${subFilterName}, not adbe.pkcs7.detached.`)) return;

  // /ByteRange [0 a b c]: the signed bytes are [0, a) and [b, b + c); the gap must be exactly the
  // /Contents value, delimiters included, and the second range must end at the end of the file.
  const ranges = numbers(dict.entries.get("ByteRange"));
  const contents = dict.entries.get("Contents");
  if (!ranges || ranges.length !== 4 || contents?.kind !== "string" || !contents.hex) {
    check("Byte ranges", false, "The signature has no valid /ByteRange and hexadecimal /Contents.");
    return;
  }
  const [start, gapStart, gapEnd, tailLength] = ranges as [number, number, number, number];
  const end = gapEnd + tailLength;
  const gapIsContents = start === 0 && gapStart === contents.start && gapEnd === contents.end;
  const inFile = end <= reader.size;
  const rangesFound = !gapIsContents
    ? "The signed ranges leave out more (or other bytes) than the signature value."
    : inFile
      ? "The signed ranges cover everything but the signature value."
      : "The signed ranges reach past the end of the file.";
  if (!check("Byte ranges", gapIsContents && inFile, rangesFound)) return;
  result.appendedBytes = reader.size - end;
  result.coversWholeFile = result.appendedBytes === 0;
  check(
    "Whole file signed",
    result.coversWholeFile,
    result.coversWholeFile
      ? `The signature covers the whole file (${reader.size.toLocaleString("en")} bytes).`
      : `${result.appendedBytes.toLocaleString("en")} bytes were added after the signed part (an incremental update or appended data); they are not covered by the signature.`,
  );

  // The value: hex digits only, a DER structure, then nothing but zero padding.
  if (gapEnd - gapStart > 2 * MAX_SIGNATURE_BYTES + 2) {
    check("Signature value", false, "The signature value is far larger than any Assay writes.");
    return;
  }
  const raw = (await reader.read(gapStart + 1, gapEnd - gapStart - 2)).toString("latin1");
  const hex = /^(?:[0-9A-Fa-f]{2})+$/.test(raw);
  if (!check("Signature value", hex, hex ? "Hexadecimal, as written by the signer." : "The signature value holds characters other than pairs of hex digits.")) return;
  const bytes = Buffer.from(raw, "hex");
  const outer = asn1js.fromBER(bytes);
  if (outer.offset === -1) {
    check("Signature format", false, "The signature value is not a CMS structure.");
    return;
  }
  const padding = bytes.subarray(outer.offset);
  const nonZero = padding.reduce((n, b) => n + (b === 0 ? 0 : 1), 0);
  check(
    "Signature padding",
    nonZero === 0,
    nonZero === 0
      ? "Only zeros after the signature."
      : `${nonZero} non-zero bytes in the space reserved after the signature: the file was changed after signing.`,
  );

  let file: TSignedDataFile;
  try {
    file = readSignedData(bytes.subarray(0, outer.offset));
  } catch (e) {
    check("Signature format", false, `The signature cannot be read: ${e instanceof Error ? e.message : String(e)}.`);
    return;
  }
  const content = file.signedData.encapContentInfo;
  const overDocument = content.eContentType === OID.data && !content.eContent;
  if (!check("Signature format", overDocument, overDocument ? "A detached CMS SignedData." : "The CMS signature is not detached over the document.")) return;
  const signer = checkSignerInfo(file, OID.data);
  result.signedAt = signer.signingTime;

  // The document digest: both ranges, streamed from disk.
  if (!signer.digestAlgorithm || !signer.messageDigest) {
    check("Document digest", false, "The signature does not say which digest it signed.");
  } else {
    const hash = createHash(signer.digestAlgorithm);
    await hashFileRange(hash, reader.path, 0, gapStart);
    await hashFileRange(hash, reader.path, gapEnd, tailLength);
    const same = hash.digest().equals(signer.messageDigest);
    const algorithm = signer.digestAlgorithm.toUpperCase().replace("SHA", "SHA-");
    check("Document digest", same, same ? `The signed bytes are unchanged (${algorithm}).` : "The document was changed after signing: its digest is not the signed one.");
  }
  const verified = signer.signatureValid && signer.problems.length === 0;
  check("Signature", verified, verified ? "Verifies with the signer's certificate." : `${capitalize(signer.problems.join("; "))}.`);

  const timestamp = verifyTimestamps(file, signer, result, check);
  if (signer.certificate && signer.certificateDer) verifyCertificate(file, signer, timestamp, result, check);
}

function verifyTimestamps(file: TSignedDataFile, signer: TSignerInfoCheck, result: TEvidenceVerification, check: TCheck): Date | null {
  const attributes = (file.signedData.signerInfos[0]?.unsignedAttrs?.attributes ?? []).filter((a) => a.type === OID.signatureTimeStampToken);
  const tokens = attributes.flatMap((a) => a.values as asn1js.BaseBlock[]);
  if (tokens.length === 0) {
    result.notes.push("No timestamp: the signing time is the signer's own claim.");
    return null;
  }
  if (tokens.length > 1) {
    check("Timestamp", false, `The signature carries ${tokens.length} timestamps where one is expected.`);
    return null;
  }
  // The token exactly as stored: re-encoding could hide a change to it.
  const stamp = verifyTimestampToken(Buffer.from(tokens[0]!.valueBeforeDecodeView), signer.signatureValue);
  if (stamp.problems.length > 0 || !stamp.time) {
    check("Timestamp", false, `The timestamp does not verify: ${stamp.problems.join("; ") || "it has no time"}.`);
    return null;
  }
  result.timestamp = { time: stamp.time, tsa: stamp.tsa ?? "unknown", serial: stamp.serial ?? "" };
  check("Timestamp", true, `Stamped ${stamp.time.toISOString()} by ${stamp.tsa}.`);
  return stamp.time;
}

function verifyCertificate(file: TSignedDataFile, signer: TSignerInfoCheck, stampedAt: Date | null, result: TEvidenceVerification, check: TCheck): void {
  const cert = signer.certificate!;
  result.signer = describeCertificate(signer.certificateDer!);
  // A timestamp is independent evidence of when; without one, the signer's own claim.
  const at = stampedAt ?? signer.signingTime;
  const problems: string[] = [];
  if (!at) problems.push("the signature does not say when it was made");
  else if (at < cert.validFromDate || at > cert.validToDate) {
    problems.push(`the certificate was not valid at signing time (${at.toISOString()}; valid ${cert.validFromDate.toISOString()} to ${cert.validToDate.toISOString()})`);
  }
  if (signer.certificateBinding === "mismatch") problems.push("the signature names another certificate than the one included");
  if (signer.certificateBinding === "missing") result.notes.push("The signature does not name its certificate (no ESS signing-certificate attribute).");

  // The chain, as far as the signature carries it: each issuer's key must verify the certificate
  // below it. Whether to trust the top is the reader's decision (we name it).
  const others = file.certificates.map((der) => new X509Certificate(der));
  let current = cert;
  for (let depth = 0; depth < 10; depth++) {
    if (isSelfSigned(current)) break;
    const issuer = others.find((c) => c.subject === current.issuer && c !== current);
    if (!issuer) {
      result.notes.push(`The certificate was issued by ${current.issuer.split("\n").join(", ")}, whose certificate is not included: whether to trust it is your decision.`);
      break;
    }
    if (!current.verify(issuer.publicKey)) {
      problems.push(`the certificate of ${current.subject.split("\n").join(", ")} is not signed by its issuer's key`);
      break;
    }
    current = issuer;
  }
  if (result.signer.development) {
    result.notes.push(
      "Signed with Assay's self-signed development certificate (a demo installation): the signature proves the package was not changed, not who issued it.",
    );
  } else if (result.signer.selfSigned) {
    result.notes.push(`The certificate is self-signed: compare its SHA-256 fingerprint (${result.signer.fingerprintSha256}) with the one its owner publishes.`);
  }
  check("Certificate", problems.length === 0, problems.length === 0 ? `Valid at signing time${stampedAt ? " (timestamped)" : ""}; ${result.signer.subject}.` : `${capitalize(problems.join("; "))}.`);
}

async function verifyAttachments(reader: TPdfReader, result: TEvidenceVerification, check: TCheck): Promise<void> {
  const { files, problems } = await readEmbeddedFiles(reader, { keep: [EVIDENCE_MANIFEST_NAME] });
  const manifestFiles = files.filter((f) => f.name === EVIDENCE_MANIFEST_NAME);
  const attachments = files.filter((f) => f.name !== EVIDENCE_MANIFEST_NAME);

  let manifest: TEvidenceManifest | null = null;
  if (manifestFiles.length > 1) problems.push("manifest.json is embedded more than once");
  const manifestFile = manifestFiles[0];
  if (manifestFile) {
    if (!manifestFile.content) problems.push(`manifest.json cannot be read (${manifestFile.problem ?? "empty"})`);
    else {
      try {
        result.manifest = JSON.parse(manifestFile.content.toString("utf8"));
        const parsed = ZEvidenceManifest.safeParse(result.manifest);
        if (parsed.success) manifest = parsed.data;
        else problems.push(`manifest.json is not an Assay manifest (${parsed.error.issues.map((i) => `${i.path.join(".") || "format"}: ${i.message}`).join("; ")})`);
      } catch {
        problems.push("manifest.json is not JSON");
      }
    }
  } else if (attachments.length > 0) {
    problems.push(`${attachments.length} file${attachments.length === 1 ? " is" : "s are"} embedded but there is no manifest.json to check ${attachments.length === 1 ? "it" : "them"} against`);
  }

  const names = new Set<string>();
  for (const file of attachments) {
    if (names.has(file.name)) problems.push(`"${file.name}" is embedded more than once`);
    names.add(file.name);
    const listed = manifest?.attachments.find((a) => a.embeddedName === file.name);
    const matches = !!listed && file.sha256 === listed.sha256 && file.size === listed.size;
    result.attachments.push({ name: file.name, sha256: file.sha256, size: file.size, matchesManifest: matches });
    if (file.problem) problems.push(`"${file.name}" cannot be read: ${file.problem}`);
    else if (manifest && !listed) problems.push(`"${file.name}" is embedded but not in the manifest`);
    else if (manifest && !matches) problems.push(`"${file.name}" does not match the manifest (its SHA-256 or size differs)`);
  }
  for (const listed of manifest?.attachments ?? []) {
    if (!names.has(listed.embeddedName)) problems.push(`"${listed.embeddedName}" is in the manifest but not embedded`);
  }

  const count = result.attachments.length;
  check(
    "Attachments",
    problems.length === 0,
    problems.length === 0
      ? count === 0
        ? manifest
          ? "No attachments; the manifest lists none."
          : "No attachments."
        : `${count} attachment${count === 1 ? "" : "s"}, all matching the manifest.`
      : `${capitalize(problems.join("; "))}.`,
  );
}

function numbers(value: TPdfValue | undefined): number[] | null {
  if (value?.kind !== "array") return null;
  const out: number[] = [];
  for (const item of value.items) {
    if (item.kind !== "number" || !Number.isSafeInteger(item.value) || item.value < 0) return null;
    out.push(item.value);
  }
  return out;
}

function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}
