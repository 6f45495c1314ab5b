import "server-only";
import { createHash } from "node:crypto";
import * as pkijs from "pkijs";
import { describeCertificate } from "@/lib/evidence/signing/describe-certificate";
import { DIGEST_BY_OID, OID } from "@/lib/evidence/signing/cms-oids";
import { checkSignerInfo } from "./check-signer-info";
import { readSignedData } from "./read-signed-data";

export interface TTimestampCheck {
  /** When the authority says the data existed (TSTInfo genTime). */
  time: Date | null;
  /** The authority: its certificate's subject. */
  tsa: string | null;
  /** The token's serial number, hex. */
  serial: string | null;
  nonce: bigint | null;
  /** Empty when the token is valid for `data`. */
  problems: string[];
}

/**
 * Verifies an RFC 3161 timestamp token (a CMS SignedData over a TSTInfo) for `data` — for a PDF
 * signature, the signature value. Valid means: the imprint is the digest of `data`; the token's
 * signed attributes carry the digest of the TSTInfo and verify with the authority's certificate;
 * that certificate is the one the token names (ESS signing-certificate, so that a swapped or
 * edited certificate is caught), it may issue timestamps (extended key usage timeStamping) and
 * was valid at the time stamped. Whether to trust the authority is the reader's decision: the
 * result names it. Never throws.
 */
export function verifyTimestampToken(token: Uint8Array, data: Uint8Array): TTimestampCheck {
  const result: TTimestampCheck = { time: null, tsa: null, serial: null, nonce: null, problems: [] };
  const problems = result.problems;
  try {
    const file = readSignedData(token);
    const content = file.signedData.encapContentInfo;
    if (content.eContentType !== OID.tstInfo || !content.eContent) {
      problems.push("the timestamp token does not hold a TSTInfo");
      return result;
    }
    const tstDer = Buffer.from(content.eContent.getValue());
    const tst = pkijs.TSTInfo.fromBER(tstDer);
    result.time = tst.genTime;
    result.serial = Buffer.from(tst.serialNumber.valueBlock.valueHexView).toString("hex");
    result.nonce = tst.nonce ? tst.nonce.toBigInt() : null;

    const imprintAlgorithm = DIGEST_BY_OID[tst.messageImprint.hashAlgorithm.algorithmId];
    if (!imprintAlgorithm || imprintAlgorithm === "sha1") {
      problems.push(`the timestamp uses an unsupported imprint algorithm (${tst.messageImprint.hashAlgorithm.algorithmId})`);
    } else {
      const expected = createHash(imprintAlgorithm).update(data).digest();
      if (!expected.equals(Buffer.from(tst.messageImprint.hashedMessage.valueBlock.valueHexView))) {
        problems.push("the timestamp is for other data than this signature");
      }
    }

    const signer = checkSignerInfo(file, OID.tstInfo);
    problems.push(...signer.problems.map((p) => `timestamp: ${p}`));
    if (signer.digestAlgorithm && signer.messageDigest) {
      const digest = createHash(signer.digestAlgorithm).update(tstDer).digest();
      if (!digest.equals(signer.messageDigest)) problems.push("the timestamp's content does not match what its authority signed");
    }
    if (signer.certificate) {
      result.tsa = describeCertificate(signer.certificate).subject;
      // RFC 3161 §2.4.1 requires the ESS signing-certificate attribute in every token.
      if (signer.certificateBinding !== "matches") {
        problems.push(
          signer.certificateBinding === "missing"
            ? "the timestamp does not name its authority's certificate"
            : "the timestamp authority's certificate is not the one the token names",
        );
      }
      // Node calls the *extended* key usage `keyUsage`.
      if (!(signer.certificate.keyUsage ?? []).includes(OID.extKeyUsageTimeStamping)) {
        problems.push("the timestamp authority's certificate is not allowed to issue timestamps");
      }
      if (tst.genTime < signer.certificate.validFromDate || tst.genTime > signer.certificate.validToDate) {
        problems.push("the timestamp authority's certificate was not valid at the time stamped");
      }
    }
  } catch (e) {
    problems.push(`the timestamp token cannot be read: ${e instanceof Error ? e.message : String(e)}`);
  }
  return result;
}
