import "server-only";
import { createHash, verify, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { DIGEST_BY_OID, OID } from "@/lib/evidence/signing/cms-oids";
import type { TSignedDataFile } from "./read-signed-data";

export interface TSignerInfoCheck {
  /** The signer's certificate (found by the SignerInfo's issuer and serial, or key identifier). */
  certificate: X509Certificate | null;
  certificateDer: Buffer | null;
  /** node:crypto's name of the digest algorithm the signer used ("sha256"), or null if unsupported. */
  digestAlgorithm: string | null;
  /** The messageDigest signed attribute: what the signer says the content's digest is. */
  messageDigest: Buffer | null;
  signingTime: Date | null;
  /** The raw signature value (what an RFC 3161 timestamp of this signature is over). */
  signatureValue: Buffer;
  /** The signed attributes verify with the certificate's public key. */
  signatureValid: boolean;
  /** ESS signing-certificate attribute: present and naming this certificate, absent, or naming another. */
  certificateBinding: "matches" | "missing" | "mismatch";
  problems: string[];
}

type TSignatureScheme = { keyType: "rsa" | "ec"; hash: string | null };

const SCHEMES: Record<string, TSignatureScheme> = {
  [OID.rsaEncryption]: { keyType: "rsa", hash: null },
  [OID.sha256WithRSA]: { keyType: "rsa", hash: "sha256" },
  [OID.sha384WithRSA]: { keyType: "rsa", hash: "sha384" },
  [OID.sha512WithRSA]: { keyType: "rsa", hash: "sha512" },
  [OID.ecPublicKey]: { keyType: "ec", hash: null },
  [OID.ecdsaWithSha256]: { keyType: "ec", hash: "sha256" },
  [OID.ecdsaWithSha384]: { keyType: "ec", hash: "sha384" },
  [OID.ecdsaWithSha512]: { keyType: "ec", hash: "sha512" },
};

/**
 * Checks one SignerInfo the way RFC 5652 §5.4 says: the signed attributes carry the content
 * type and the content's digest, and the signature over their DER (as found in the file)
 * verifies with the signer's certificate. The caller compares `messageDigest` with the digest of
 * the content it has (the PDF's byte ranges; a timestamp's TSTInfo), which this cannot see.
 * Signatures are checked by node:crypto (OpenSSL), not by pkijs.
 */
export function checkSignerInfo(file: TSignedDataFile, expectedContentType: string): TSignerInfoCheck {
  const problems: string[] = [];
  const { signedData } = file;
  if (signedData.signerInfos.length !== 1) problems.push(`${signedData.signerInfos.length} signers where exactly one is expected`);
  const signerInfo = signedData.signerInfos[0];
  const result: TSignerInfoCheck = {
    certificate: null,
    certificateDer: null,
    digestAlgorithm: null,
    messageDigest: null,
    signingTime: null,
    signatureValue: Buffer.alloc(0),
    signatureValid: false,
    certificateBinding: "missing",
    problems,
  };
  if (!signerInfo) return result;
  result.signatureValue = Buffer.from(signerInfo.signature.valueBlock.valueHexView);

  const found = findSignerCertificate(file, signerInfo);
  if (!found) problems.push("the signer's certificate is not included in the signature");
  else {
    result.certificateDer = found;
    result.certificate = new X509Certificate(found);
  }

  result.digestAlgorithm = DIGEST_BY_OID[signerInfo.digestAlgorithm.algorithmId] ?? null;
  if (!result.digestAlgorithm || result.digestAlgorithm === "sha1") {
    problems.push(`unsupported digest algorithm ${signerInfo.digestAlgorithm.algorithmId}`);
    result.digestAlgorithm = null;
  }

  const attributes = signerInfo.signedAttrs?.attributes ?? [];
  if (attributes.length === 0) {
    problems.push("the signature has no signed attributes");
    return result;
  }
  const seen = new Set<string>();
  for (const attribute of attributes) {
    if (seen.has(attribute.type)) problems.push(`the signed attribute ${attribute.type} appears twice`);
    seen.add(attribute.type);
    const value = attribute.values[0];
    if (attribute.values.length !== 1 || !value) {
      problems.push(`the signed attribute ${attribute.type} does not have exactly one value`);
      continue;
    }
    if (attribute.type === OID.contentType) {
      const type = value instanceof asn1js.ObjectIdentifier ? value.valueBlock.toString() : null;
      if (type !== expectedContentType) problems.push(`the signed content type is ${type ?? "not an OID"}, expected ${expectedContentType}`);
    } else if (attribute.type === OID.messageDigest) {
      if (value instanceof asn1js.OctetString) result.messageDigest = Buffer.from(value.valueBlock.valueHexView);
    } else if (attribute.type === OID.signingTime) {
      if (value instanceof asn1js.UTCTime || value instanceof asn1js.GeneralizedTime) result.signingTime = value.toDate();
    } else if (attribute.type === OID.signingCertificateV2 || attribute.type === OID.signingCertificate) {
      result.certificateBinding = result.certificateDer && essCertHashMatches(value, attribute.type, result.certificateDer) ? "matches" : "mismatch";
    }
  }
  if (!seen.has(OID.contentType)) problems.push("the signed attributes lack the content type");
  if (!result.messageDigest) problems.push("the signed attributes lack the message digest");

  const scheme = SCHEMES[signerInfo.signatureAlgorithm.algorithmId];
  const hash = scheme?.hash ?? result.digestAlgorithm;
  if (!scheme || !hash) {
    problems.push(`unsupported signature algorithm ${signerInfo.signatureAlgorithm.algorithmId}`);
  } else if (result.certificate) {
    const key = result.certificate.publicKey;
    if (key.asymmetricKeyType !== scheme.keyType) {
      problems.push(`the certificate's ${key.asymmetricKeyType ?? "unknown"} key does not match the ${scheme.keyType.toUpperCase()} signature algorithm`);
    } else {
      // pkijs keeps the attributes' bytes as they are in the file, re-tagged as a SET (0x31):
      // what the signer signed (RFC 5652 §5.4), whatever their order.
      const signed = Buffer.from(signerInfo.signedAttrs!.encodedValue);
      try {
        result.signatureValid = verify(hash, signed, { key, dsaEncoding: "der" }, result.signatureValue);
      } catch {
        result.signatureValid = false;
      }
      if (!result.signatureValid) problems.push("the signature does not verify with the signer's certificate");
    }
  }
  return result;
}

function findSignerCertificate(file: TSignedDataFile, signerInfo: pkijs.SignerInfo): Buffer | null {
  for (const der of file.certificates) {
    let cert: pkijs.Certificate;
    try {
      cert = pkijs.Certificate.fromBER(new Uint8Array(der));
    } catch {
      continue;
    }
    const sid = signerInfo.sid;
    if (sid instanceof pkijs.IssuerAndSerialNumber) {
      if (cert.issuer.isEqual(sid.issuer) && cert.serialNumber.isEqual(sid.serialNumber)) return der;
    } else {
      // subjectKeyIdentifier [0]: compare with the certificate's SKI extension, else with the
      // SHA-1 of its public key (RFC 5280's usual method of making one).
      const block = sid as asn1js.BaseBlock;
      const keyId = Buffer.from(
        block.idBlock.isConstructed
          ? ((block as asn1js.Constructed).valueBlock.value[0] as asn1js.OctetString).valueBlock.valueHexView
          : (block as asn1js.Primitive).valueBlock.valueHexView,
      );
      const ski = cert.extensions?.find((e) => e.extnID === "2.5.29.14")?.parsedValue as asn1js.OctetString | undefined;
      const own = ski
        ? Buffer.from(ski.valueBlock.valueHexView)
        : createHash("sha1").update(cert.subjectPublicKeyInfo.subjectPublicKey.valueBlock.valueHexView).digest();
      if (own.equals(keyId)) return der;
    }
  }
  return null;
}

// SigningCertificate(V2) ::= SEQUENCE { certs SEQUENCE OF ESSCertID(v2), policies OPTIONAL }
// ESSCertIDv2 ::= SEQUENCE { hashAlgorithm DEFAULT sha256, certHash OCTET STRING, issuerSerial OPTIONAL }
// ESSCertID   ::= SEQUENCE { certHash OCTET STRING (SHA-1), issuerSerial OPTIONAL }
// The first ESSCertID names the signer's certificate.
function essCertHashMatches(value: unknown, type: string, certificateDer: Buffer): boolean {
  if (!(value instanceof asn1js.Sequence)) return false;
  const certs = value.valueBlock.value[0];
  if (!(certs instanceof asn1js.Sequence)) return false;
  const first = certs.valueBlock.value[0];
  if (!(first instanceof asn1js.Sequence)) return false;
  const parts = first.valueBlock.value;
  let algorithm = type === OID.signingCertificate ? "sha1" : "sha256";
  let at = 0;
  if (type === OID.signingCertificateV2 && parts[0] instanceof asn1js.Sequence) {
    const oid = parts[0].valueBlock.value[0];
    const name = oid instanceof asn1js.ObjectIdentifier ? DIGEST_BY_OID[oid.valueBlock.toString()] : undefined;
    if (!name) return false;
    algorithm = name;
    at = 1;
  }
  const hash = parts[at];
  if (!(hash instanceof asn1js.OctetString)) return false;
  return createHash(algorithm).update(certificateDer).digest().equals(Buffer.from(hash.valueBlock.valueHexView));
}
