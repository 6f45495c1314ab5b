// Who signs evidence packages, behind a small interface: the PDF signing code needs the
// certificates to embed and a function that signs bytes, nothing else. Today the key is in a
// PKCS#12 file (the deployment's, or a generated development one); a KMS/HSM signer implements
// the same three members, with `sign` calling the service (the private key never leaves it).

/**
 * The common name of the certificate that demo installations generate for themselves
 * (create-dev-signer.ts). Verifiers recognise it and say that such a package proves integrity
 * but not who issued it.
 */
export const DEVELOPMENT_CERTIFICATE_CN = "Assay development certificate — not for production";

/** What a person is shown about a signing certificate (cover page, verifier output). */
export interface TCertificateDescription {
  /** The subject's distinguished name, e.g. "CN=Assay at Example Corp, O=Example Corp". */
  subject: string;
  issuer: string;
  /** Serial number, upper-case hex. */
  serial: string;
  notBefore: Date;
  notAfter: Date;
  /** SHA-256 of the certificate's DER, upper-case hex with colons (as `openssl x509 -fingerprint` prints it). */
  fingerprintSha256: string;
  /** Issued by itself (its own signature verifies with its own key): proves integrity, not identity. */
  selfSigned: boolean;
  /** Assay's generated development certificate (demo installations only). */
  development: boolean;
}

export interface TSigner {
  /** DER certificates: the signer's own first, then its issuers as far as they are known. */
  readonly certificates: readonly Buffer[];
  describe(): TCertificateDescription;
  /**
   * Signs `data` with the private key: RSASSA-PKCS1-v1_5 with SHA-256 for RSA keys, ECDSA with
   * SHA-256 (DER-encoded signature) for EC keys — whatever the first certificate's key is.
   */
  sign(data: Buffer): Promise<Buffer>;
}
