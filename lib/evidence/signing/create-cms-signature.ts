import "server-only";
import { createHash, X509Certificate } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { checkSignerInfo } from "@/lib/evidence/verify/check-signer-info";
import { readSignedData } from "@/lib/evidence/verify/read-signed-data";
import { OID } from "./cms-oids";
import { requestTimestamp } from "./request-timestamp";
import type { TSigner } from "./signer";

/**
 * A detached CMS SignedData (what PDF calls adbe.pkcs7.detached) over content whose SHA-256 the
 * caller has already computed — the PDF is hashed as a stream from disk, never held in memory.
 *
 * Signed attributes: contentType (data), signingTime, messageDigest, and the ESS
 * signing-certificate-v2 (the SHA-256 of the signer's certificate, so that the certificate
 * shown to a reader cannot be swapped for another with the same key). Their DER — a SET, sorted
 * as DER requires, because OpenSSL re-encodes before it verifies — is what `signer.sign` signs.
 * With `tsaUrl`, an RFC 3161 timestamp of the signature value is added as an unsigned attribute.
 */
export async function createCmsSignature(options: {
  signer: TSigner;
  /** SHA-256 of the signed content (the PDF's two byte ranges). */
  digest: Buffer;
  signedAt: Date;
  tsaUrl?: string;
}): Promise<{ der: Buffer; timestamp: { time: Date; tsa: string } | null }> {
  const { signer, digest, signedAt } = options;
  const [ownDer] = signer.certificates;
  if (!ownDer) throw new Error("The signer has no certificate.");
  const own = pkijs.Certificate.fromBER(new Uint8Array(ownDer));
  const keyType = new X509Certificate(ownDer).publicKey.asymmetricKeyType;
  const signatureAlgorithm =
    keyType === "rsa"
      ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256WithRSA, algorithmParams: new asn1js.Null() })
      : keyType === "ec"
        ? new pkijs.AlgorithmIdentifier({ algorithmId: OID.ecdsaWithSha256 })
        : undefined;
  if (!signatureAlgorithm) throw new Error(`Unsupported signing key type ${keyType}: use RSA or EC.`);

  const attributes = [
    attribute(OID.contentType, new asn1js.ObjectIdentifier({ value: OID.data })),
    attribute(OID.signingTime, new asn1js.UTCTime({ valueDate: signedAt })),
    attribute(OID.messageDigest, new asn1js.OctetString({ valueHex: digest })),
    attribute(
      OID.signingCertificateV2,
      // SigningCertificateV2 { certs: [ ESSCertIDv2 { certHash } ] } (hashAlgorithm: the default, SHA-256)
      new asn1js.Sequence({
        value: [new asn1js.Sequence({ value: [new asn1js.Sequence({ value: [new asn1js.OctetString({ valueHex: createHash("sha256").update(ownDer).digest() })] })] })],
      }),
    ),
  ];
  const signedAttrs = new pkijs.SignedAndUnsignedAttributes({ type: 0, attributes: sortForDer(attributes) });
  const toSign = Buffer.from(signedAttrs.toSchema().toBER());
  toSign[0] = 0x31; // [0] IMPLICIT in the SignerInfo, but signed as the universal SET it is
  const signature = await signer.sign(toSign);

  const signerInfo = new pkijs.SignerInfo({
    version: 1,
    sid: new pkijs.IssuerAndSerialNumber({ issuer: own.issuer, serialNumber: own.serialNumber }),
    digestAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
    signedAttrs,
    signatureAlgorithm,
    signature: new asn1js.OctetString({ valueHex: signature }),
  });

  let timestamp: { time: Date; tsa: string } | null = null;
  let token: Buffer | null = null;
  if (options.tsaUrl) {
    const stamped = await requestTimestamp({ url: options.tsaUrl, data: signature });
    token = stamped.token;
    timestamp = { time: stamped.time, tsa: stamped.tsa };
    signerInfo.unsignedAttrs = new pkijs.SignedAndUnsignedAttributes({
      type: 1,
      attributes: [attribute(OID.signatureTimeStampToken, asn1js.fromBER(token).result)],
    });
  }

  const signedData = new pkijs.SignedData({
    version: 1,
    digestAlgorithms: [new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 })],
    encapContentInfo: new pkijs.EncapsulatedContentInfo({ eContentType: OID.data }),
    certificates: signer.certificates.map((der) => pkijs.Certificate.fromBER(new Uint8Array(der))),
    signerInfos: [signerInfo],
  });
  const der = Buffer.from(new pkijs.ContentInfo({ contentType: OID.signedData, content: signedData.toSchema(true) }).toSchema().toBER());

  assertRoundTrip(der, { signer, digest, token });
  return { der, timestamp };
}

function attribute(type: string, value: asn1js.AsnType): pkijs.Attribute {
  return new pkijs.Attribute({ type, values: [value] });
}

/** DER orders the members of a SET OF by their encodings (X.690 §11.6). */
function sortForDer(attributes: pkijs.Attribute[]): pkijs.Attribute[] {
  const encoded = attributes.map((a) => ({ a, der: Buffer.from(a.toSchema().toBER()) }));
  encoded.sort((x, y) => Buffer.compare(x.der, y.der));
  return encoded.map((e) => e.a);
}

// What we write into the PDF must read back as what we meant: the certificates byte for byte
// (pkijs re-encodes them), the timestamp token byte for byte (its signature covers it), and a
// signature that verifies. A failure here is a bug, and must not produce a package.
function assertRoundTrip(der: Buffer, expected: { signer: TSigner; digest: Buffer; token: Buffer | null }): void {
  const file = readSignedData(der);
  const sameCertificates =
    file.certificates.length === expected.signer.certificates.length && file.certificates.every((c, i) => c.equals(expected.signer.certificates[i]!));
  const check = checkSignerInfo(file, OID.data);
  const tokenValue = file.signedData.signerInfos[0]?.unsignedAttrs?.attributes[0]?.values[0] as asn1js.BaseBlock | undefined;
  const sameToken = expected.token === null ? tokenValue === undefined : !!tokenValue && Buffer.from(tokenValue.valueBeforeDecodeView).equals(expected.token);
  if (!sameCertificates || !sameToken || check.problems.length > 0 || !check.signatureValid || !check.messageDigest?.equals(expected.digest) || check.certificateBinding !== "matches") {
    throw new Error(
      `The CMS signature did not survive its own check (certificates ${sameCertificates}, token ${sameToken}, ${check.problems.join("; ") || "digest/binding mismatch"}).`,
    );
  }
}
