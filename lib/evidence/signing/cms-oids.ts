// Object identifiers used by the CMS (PKCS#7) signatures and RFC 3161 timestamps of evidence
// packages, by name, so that the code reads as what it does.

export const OID = {
  data: "1.2.840.113549.1.7.1",
  signedData: "1.2.840.113549.1.7.2",
  tstInfo: "1.2.840.113549.1.9.16.1.4",

  contentType: "1.2.840.113549.1.9.3",
  messageDigest: "1.2.840.113549.1.9.4",
  signingTime: "1.2.840.113549.1.9.5",
  /** ESS signing-certificate (SHA-1 certificate hash), RFC 2634. */
  signingCertificate: "1.2.840.113549.1.9.16.2.12",
  /** ESS signing-certificate v2 (SHA-256 by default), RFC 5035. */
  signingCertificateV2: "1.2.840.113549.1.9.16.2.47",
  /** id-aa-signatureTimeStampToken: an RFC 3161 token over the signature value, RFC 3161 appendix A. */
  signatureTimeStampToken: "1.2.840.113549.1.9.16.2.14",

  sha1: "1.3.14.3.2.26",
  sha256: "2.16.840.1.101.3.4.2.1",
  sha384: "2.16.840.1.101.3.4.2.2",
  sha512: "2.16.840.1.101.3.4.2.3",

  rsaEncryption: "1.2.840.113549.1.1.1",
  sha256WithRSA: "1.2.840.113549.1.1.11",
  sha384WithRSA: "1.2.840.113549.1.1.12",
  sha512WithRSA: "1.2.840.113549.1.1.13",
  ecPublicKey: "1.2.840.10045.2.1",
  ecdsaWithSha256: "1.2.840.10045.4.3.2",
  ecdsaWithSha384: "1.2.840.10045.4.3.3",
  ecdsaWithSha512: "1.2.840.10045.4.3.4",

  extKeyUsageTimeStamping: "1.3.6.1.5.5.7.3.8",
} as const;

/** Digest algorithms we accept, by OID, as node:crypto names them. */
export const DIGEST_BY_OID: Readonly<Record<string, "sha1" | "sha256" | "sha384" | "sha512">> = {
  [OID.sha1]: "sha1",
  [OID.sha256]: "sha256",
  [OID.sha384]: "sha384",
  [OID.sha512]: "sha512",
};
