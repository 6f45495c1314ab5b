import { readFileSync } from "node:fs";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";

// Reads a signed test PDF the simple way (the whole small file, a regular expression), so that
// the tests check the library's output without trusting the library's own reader.

export interface TSignatureParts {
  byteRange: [number, number, number, number];
  /** Offset of the first hex digit of /Contents. */
  hexStart: number;
  /** The CMS DER without its zero padding. */
  der: Buffer;
  /** The bytes the signature covers (both ranges). */
  signedContent: Buffer;
}

export function readSignatureParts(path: string): TSignatureParts {
  const pdf = readFileSync(path);
  const match = /\/ByteRange \[(\d+) (\d+) (\d+) (\d+) *\]/.exec(pdf.toString("latin1"));
  if (!match) throw new Error(`no /ByteRange in ${path}`);
  const byteRange = match.slice(1, 5).map(Number) as [number, number, number, number];
  const [a, b, c, d] = byteRange;
  const all = Buffer.from(pdf.toString("latin1", b + 1, c - 1), "hex");
  // DER: 0x30, then a definite length (short or long form).
  const first = all[1]!;
  const [length, header] = first < 0x80 ? [first, 2] : [all.readUIntBE(2, first & 0x7f), 2 + (first & 0x7f)];
  return {
    byteRange,
    hexStart: b + 1,
    der: all.subarray(0, header + length),
    signedContent: Buffer.concat([pdf.subarray(a, a + b), pdf.subarray(c, c + d)]),
  };
}

/** The signature value and the RFC 3161 token (as stored) of a CMS with one signer. */
export function readTimestampParts(der: Buffer): { signatureValue: Buffer; token: Buffer | null; tokenOffset: number } {
  const signedData = new pkijs.SignedData({ schema: new pkijs.ContentInfo({ schema: asn1js.fromBER(new Uint8Array(der)).result }).content });
  const signerInfo = signedData.signerInfos[0]!;
  const attribute = signerInfo.unsignedAttrs?.attributes.find((a) => a.type === "1.2.840.113549.1.9.16.2.14");
  const token = attribute ? Buffer.from((attribute.values[0] as asn1js.BaseBlock).valueBeforeDecodeView) : null;
  return { signatureValue: Buffer.from(signerInfo.signature.valueBlock.valueHexView), token, tokenOffset: token ? der.indexOf(token) : -1 };
}
