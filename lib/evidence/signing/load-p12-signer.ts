import "server-only";
import { createPrivateKey, createPublicKey, sign, X509Certificate, type KeyObject } from "node:crypto";
import { readFile } from "node:fs/promises";
import forge from "node-forge";
import { AppError } from "@/lib/errors";
import { describeCertificate, isSelfSigned } from "./describe-certificate";
import type { TSigner } from "./signer";

// A signer whose key and certificates come from a PKCS#12 file (what CAs and `openssl pkcs12
// -export` hand out). node-forge only *reads* the file: it is the one library here that decrypts
// PKCS#12 (OpenSSL 3's AES-256/PBKDF2/SHA-256 defaults included). The key then becomes a Node
// KeyObject and every signature is made by node:crypto (OpenSSL), never by forge's JS RSA.

const PKCS8_SHROUDED_KEY_BAG = forge.pki.oids.pkcs8ShroudedKeyBag!;
const KEY_BAG = forge.pki.oids.keyBag!;
const CERT_BAG = forge.pki.oids.certBag!;

type TForgeBag = { key?: forge.pki.PrivateKey | null; cert?: forge.pki.Certificate | null; asn1?: forge.asn1.Asn1 };

/**
 * Loads the signing key and certificate chain from a PKCS#12 file. Refuses, with an AppError
 * that says what to fix, a missing or unreadable file, a wrong passphrase, a file without
 * exactly one private key and its certificate, a key type PDF signatures do not use here (only
 * RSA and EC), and a certificate that is not valid now.
 */
export async function loadP12Signer(options: { path: string; passphrase: string }): Promise<TSigner> {
  const { path, passphrase } = options;
  let raw: Buffer;
  try {
    raw = await readFile(path);
  } catch (e) {
    throw refuse(`Cannot read the signing certificate file ${path} (${(e as NodeJS.ErrnoException).code ?? String(e)}).`, e);
  }

  let p12: forge.pkcs12.Pkcs12Pfx;
  try {
    p12 = forge.pkcs12.pkcs12FromAsn1(forge.asn1.fromDer(raw.toString("binary")), false, passphrase);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    if (/password|MAC could not be verified/i.test(message)) {
      throw refuse(`The passphrase does not open the signing certificate file ${path} (check SIGNING_P12_PASSPHRASE).`, e);
    }
    throw refuse(`${path} is not a PKCS#12 (.p12/.pfx) file that Assay can read: ${message}`, e);
  }

  const bags = (type: string) => (p12.getBags({ bagType: type })[type] ?? []) as TForgeBag[];
  const keyBags = [...bags(PKCS8_SHROUDED_KEY_BAG), ...bags(KEY_BAG)];
  if (keyBags.length !== 1) {
    throw refuse(`The signing certificate file ${path} holds ${keyBags.length} private keys; it must hold exactly one.`);
  }
  const key = toKeyObject(keyBags[0]!);
  if (key.asymmetricKeyType !== "rsa" && key.asymmetricKeyType !== "ec") {
    throw refuse(`The signing key in ${path} is ${key.asymmetricKeyType ?? "of an unknown type"}; use an RSA or EC (P-256/P-384) key.`);
  }

  const certificates = bags(CERT_BAG).flatMap((bag) => {
    const der = certificateDer(bag);
    return der ? [{ der, x509: new X509Certificate(der) }] : [];
  });
  const publicKey = createPublicKey(key).export({ type: "spki", format: "der" });
  const own = certificates.find((c) => c.x509.publicKey.export({ type: "spki", format: "der" }).equals(publicKey));
  if (!own) throw refuse(`The signing certificate file ${path} has no certificate for its private key.`);

  const now = new Date();
  if (own.x509.validToDate < now) throw refuse(`The signing certificate in ${path} expired on ${own.x509.validToDate.toISOString()}.`);
  if (own.x509.validFromDate > now) throw refuse(`The signing certificate in ${path} is not valid before ${own.x509.validFromDate.toISOString()}.`);

  // The chain as far as the file has it: each next certificate is the issuer of the previous.
  const chain = [own];
  for (let cur = own; ; ) {
    if (isSelfSigned(cur.x509)) break;
    const issuer = certificates.find((c) => !chain.includes(c) && c.x509.subject === cur.x509.issuer && cur.x509.verify(c.x509.publicKey));
    if (!issuer) break;
    chain.push(issuer);
    cur = issuer;
  }

  const description = describeCertificate(own.x509);
  return {
    certificates: chain.map((c) => c.der),
    describe: () => ({ ...description }),
    sign: async (data) => sign("sha256", data, key),
  };
}

function refuse(message: string, cause?: unknown): AppError {
  return new AppError("INVALID_INPUT", message, { cause });
}

// forge parses RSA keys into its own objects and leaves other types (EC) as ASN.1: either way
// we hand Node the PKCS#8 DER.
function toKeyObject(bag: TForgeBag): KeyObject {
  const info = bag.asn1 ?? (bag.key ? forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(bag.key as forge.pki.rsa.PrivateKey)) : undefined);
  if (!info) throw refuse("The signing certificate file's private key could not be read.");
  return createPrivateKey({ key: Buffer.from(forge.asn1.toDer(info).getBytes(), "binary"), format: "der", type: "pkcs8" });
}

// forge keeps the parsed TBSCertificate, so re-encoding a parsed certificate gives back its
// original bytes; certificates forge cannot parse (EC keys) come as ASN.1 and are encoded as is.
function certificateDer(bag: TForgeBag): Buffer | undefined {
  const asn1 = bag.asn1 ?? (bag.cert ? forge.pki.certificateToAsn1(bag.cert) : undefined);
  return asn1 ? Buffer.from(forge.asn1.toDer(asn1).getBytes(), "binary") : undefined;
}
