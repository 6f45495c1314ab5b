import "server-only";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { OID } from "@/lib/evidence/signing/cms-oids";

export interface TSignedDataFile {
  signedData: pkijs.SignedData;
  /**
   * The certificates exactly as they are in the file (DER). pkijs re-encodes what it parsed;
   * fingerprints and signature checks must use the original bytes.
   */
  certificates: Buffer[];
}

/**
 * Parses a DER CMS ContentInfo holding SignedData (a PDF signature's /Contents without its
 * padding, or an RFC 3161 timestamp token). Throws on anything else, including bytes after the
 * structure: callers turn any throw into "invalid", never into a crash.
 */
export function readSignedData(der: Uint8Array): TSignedDataFile {
  const asn1 = asn1js.fromBER(der);
  if (asn1.offset === -1) throw new Error(`not valid ASN.1 (${asn1.result.error || "parse error"})`);
  if (asn1.offset !== der.byteLength) throw new Error(`${der.byteLength - asn1.offset} unexpected bytes after the structure`);
  const contentInfo = new pkijs.ContentInfo({ schema: asn1.result });
  if (contentInfo.contentType !== OID.signedData) throw new Error(`content type ${contentInfo.contentType} is not SignedData`);
  const signedData = new pkijs.SignedData({ schema: contentInfo.content });

  const content = contentInfo.content as asn1js.Sequence;
  const set = content.valueBlock.value.find((block) => block.idBlock.tagClass === 3 && block.idBlock.tagNumber === 0) as
    | asn1js.Constructed
    | undefined;
  const certificates = (set?.valueBlock.value ?? [])
    // Only X.509 certificates (a SEQUENCE); attribute certificates and "other" formats are tagged.
    .filter((block) => block.idBlock.tagClass === 1 && block.idBlock.tagNumber === 16)
    .map((block) => Buffer.from(block.valueBeforeDecodeView));
  return { signedData, certificates };
}
