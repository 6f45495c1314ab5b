import "server-only";
import { generateKeyPair, randomBytes } from "node:crypto";
import { link, mkdir, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import forge from "node-forge";
import { loadP12Signer } from "./load-p12-signer";
import { DEVELOPMENT_CERTIFICATE_CN, type TSigner } from "./signer";

// Demo installations sign their evidence packages with a self-signed certificate generated on
// first use and kept in the data directory, so that packages can be issued and verified without
// any set-up. The certificate's name says what it is, the cover page says so, and the verifier
// reports it: such a package proves it was not changed, not who issued it.
//
// The P12's passphrase is a constant: the file's protection is its 0600 mode inside the data
// directory, and a random passphrase stored next to it would add nothing.

const FILE_NAME = "development-signing.p12";
const PASSPHRASE = "assay-development";
const VALID_YEARS = 5;

/**
 * The development signer kept in `dir` (e.g. `<ASSAY_DATA_DIR>/signing`), generated there on the
 * first call and reused afterwards. Concurrent first calls (two processes) agree on one file.
 */
export async function createDevSigner(options: { dir: string }): Promise<TSigner> {
  const file = path.join(options.dir, FILE_NAME);
  if (!(await exists(file))) {
    await mkdir(options.dir, { recursive: true, mode: 0o700 });
    // Write aside, then link into place: link fails if another process got there first, and
    // nobody ever reads a half-written file.
    const temp = `${file}.${process.pid}.${randomBytes(4).toString("hex")}.tmp`;
    await writeFile(temp, await generateP12(), { mode: 0o600, flag: "wx" });
    try {
      await link(temp, file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
    } finally {
      await rm(temp, { force: true });
    }
  }
  return loadP12Signer({ path: file, passphrase: PASSPHRASE });
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === "ENOENT") return false;
    throw e;
  }
}

async function generateP12(): Promise<Buffer> {
  // OpenSSL makes the key (forge's pure-JS generation takes seconds); forge builds the
  // certificate and the PKCS#12 around it.
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 3072 });
  const key = forge.pki.privateKeyFromPem(privateKey.export({ type: "pkcs8", format: "pem" }).toString()) as forge.pki.rsa.PrivateKey;
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.rsa.setPublicKey(key.n, key.e);
  // A positive 16-byte serial: high bit cleared.
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f;
  cert.serialNumber = serial.toString("hex");
  const now = new Date();
  cert.validity.notBefore = new Date(now.getTime() - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now.getTime() + VALID_YEARS * 365 * 24 * 60 * 60 * 1000);
  // UTF8String (forge encodes the value), so that the dash survives: forge's default,
  // PrintableString, cannot hold it. (@types/node-forge mistypes valueTagClass as a Class.)
  const utf8 = forge.asn1.Type.UTF8 as unknown as forge.asn1.Class;
  const name = [
    { shortName: "CN", value: DEVELOPMENT_CERTIFICATE_CN, valueTagClass: utf8 },
    { shortName: "O", value: "Assay (development)", valueTagClass: utf8 },
  ];
  cert.setSubject(name);
  cert.setIssuer(name);
  cert.setExtensions([
    { name: "basicConstraints", cA: false, critical: true },
    { name: "keyUsage", digitalSignature: true, nonRepudiation: true, critical: true },
    { name: "subjectKeyIdentifier" },
  ]);
  cert.sign(key, forge.md.sha256.create());
  const p12 = forge.pkcs12.toPkcs12Asn1(key, [cert], PASSPHRASE, { algorithm: "aes256", friendlyName: "Assay development signing" });
  return Buffer.from(forge.asn1.toDer(p12).getBytes(), "binary");
}
