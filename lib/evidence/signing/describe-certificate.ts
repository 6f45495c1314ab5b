import "server-only";
import { X509Certificate } from "node:crypto";
import { DEVELOPMENT_CERTIFICATE_CN, type TCertificateDescription } from "./signer";

/** The facts about a DER certificate that the cover page and the verifier show. */
export function describeCertificate(der: Buffer | X509Certificate): TCertificateDescription {
  const cert = der instanceof X509Certificate ? der : new X509Certificate(der);
  return {
    subject: formatName(cert.subject),
    issuer: formatName(cert.issuer),
    serial: cert.serialNumber.toUpperCase(),
    notBefore: cert.validFromDate,
    notAfter: cert.validToDate,
    fingerprintSha256: cert.fingerprint256,
    selfSigned: isSelfSigned(cert),
    development: commonName(cert) === DEVELOPMENT_CERTIFICATE_CN,
  };
}

// Node prints one attribute per line ("CN=…\nO=…"); one line reads better everywhere we show it.
function formatName(name: string): string {
  return name.split("\n").filter(Boolean).join(", ");
}

function commonName(cert: X509Certificate): string | undefined {
  const cn = (cert.toLegacyObject().subject as Record<string, string | string[] | undefined>).CN;
  return Array.isArray(cn) ? cn[0] : cn;
}

// Same name on both sides is not enough: the certificate's own key must verify its signature.
// (Not X509Certificate.checkIssued: OpenSSL's check also wants the keyCertSign key usage, which
// a self-signed signing certificate such as Assay's development one rightly lacks.)
export function isSelfSigned(cert: X509Certificate): boolean {
  try {
    return cert.subject === cert.issuer && cert.verify(cert.publicKey);
  } catch {
    return false;
  }
}
