import { execFile, execFileSync, spawnSync } from "node:child_process";
import { createHash, X509Certificate } from "node:crypto";
import { appendFileSync, copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { AppError } from "@/lib/errors";
import { createDevSigner } from "@/lib/evidence/signing/create-dev-signer";
import { loadP12Signer } from "@/lib/evidence/signing/load-p12-signer";
import { resolveEvidenceSigner } from "@/lib/evidence/signing/resolve-evidence-signer";
import { signPdfFile } from "@/lib/evidence/signing/sign-pdf-file";
import type { TSigner } from "@/lib/evidence/signing/signer";
import { verifyEvidencePdf, type TEvidenceVerification } from "@/lib/evidence/verify/verify-evidence-pdf";
import { buildTestPdf, type TTestAttachment } from "./evidence-support/build-test-pdf";
import { startLocalTsa, type TLocalTsa } from "./evidence-support/local-tsa";
import { readSignatureParts, readTimestampParts } from "./evidence-support/signature-parts";

// The signed evidence package, checked the way its readers will check it: poppler's pdfsig (what
// PDF viewers build on), qpdf, pdfdetach, openssl — and our own verifier, which must also catch
// what pdfsig lets through (a changed timestamp token, bytes in the signature's padding, bytes
// appended after signing). pdfsig exits 0 whatever it finds: its text is what we assert on.

const execFileAsync = promisify(execFile);
let dir: string;
let devSigner: TSigner;
let tsa: TLocalTsa;

const ATTACHMENTS: TTestAttachment[] = [
  { name: "iso-27001-certificate.pdf", data: Buffer.from(`%PDF-1.4\n% a stand-in certificate\n${"0123456789abcdef".repeat(800)}`), mediaType: "application/pdf" },
  { name: "dpa.txt", data: Buffer.from("Data processing agreement, version 3.\n".repeat(300)), mediaType: "text/plain", compress: false },
];

const file = (name: string) => path.join(dir, name);
const sha256 = (data: Buffer) => createHash("sha256").update(data).digest("hex");

function pdfsig(pdf: string): string {
  const r = spawnSync("pdfsig", [pdf], { encoding: "utf8" });
  if (r.error) throw r.error;
  return `${r.stdout}${r.stderr}`;
}

function check(result: TEvidenceVerification, name: string) {
  return result.checks.find((c) => c.name === name);
}

/** Overwrites bytes of `pdf` at `offset` (same length, so nothing else moves). */
function overwrite(pdf: string, offset: number, text: string): void {
  const bytes = readFileSync(pdf);
  bytes.write(text, offset, "latin1");
  writeFileSync(pdf, bytes);
}

async function signedPackage(name: string, signer: TSigner, options: Parameters<typeof buildTestPdf>[1] & { tsaUrl?: string } = {}) {
  const pdf = file(name);
  await buildTestPdf(pdf, { attachments: ATTACHMENTS, ...options });
  const signed = await signPdfFile({ path: pdf, signer, tsaUrl: options.tsaUrl });
  return { pdf, signed };
}

function tamperedCopy(source: string, name: string): string {
  const copy = file(name);
  copyFileSync(source, copy);
  return copy;
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "assay-evidence-"));
  mkdirSync(file("tsa"));
  [devSigner, tsa] = await Promise.all([createDevSigner({ dir: file("signing") }), startLocalTsa(file("tsa"))]);
}, 60_000);

afterAll(async () => {
  await tsa?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a package signed with the development certificate", () => {
  let pdf: string;
  let signed: Awaited<ReturnType<typeof signPdfFile>>;
  beforeAll(async () => {
    ({ pdf, signed } = await signedPackage("dev.pdf", devSigner));
  });

  it("is valid and wholly signed for pdfsig, structurally sound for qpdf, and lists its attachments", () => {
    const out = pdfsig(pdf);
    expect(out).toContain("Signature is Valid.");
    expect(out).toContain("Total document signed");
    expect(out).toContain("Signature Type: adbe.pkcs7.detached");
    expect(out).toContain("Signer Certificate Common Name: Assay development certificate — not for production");
    // NSS knows no issuer for a self-signed certificate it was not told to trust.
    expect(out).toContain("Certificate Validation: Certificate issuer is unknown.");

    expect(spawnSync("qpdf", ["--check", pdf]).status).toBe(0);

    const list = execFileSync("pdfdetach", ["-list", pdf], { encoding: "utf8" });
    expect(list).toContain("3 embedded files");
    for (const name of ["iso-27001-certificate.pdf", "dpa.txt", "manifest.json"]) expect(list).toContain(name);
    // pdfdetach gives back the bytes that went in.
    mkdirSync(file("detached"));
    execFileSync("pdfdetach", ["-saveall", "-o", file("detached"), pdf]);
    for (const a of ATTACHMENTS) expect(sha256(readFileSync(path.join(file("detached"), a.name)))).toBe(sha256(a.data));
  });

  it("reports the final file's hash and size, and the signer", () => {
    const bytes = readFileSync(pdf);
    expect(signed.sha256).toBe(sha256(bytes));
    expect(signed.size).toBe(bytes.length);
    expect(signed.timestamped).toBe(false);
    expect(signed.signer.development).toBe(true);
    expect(signed.signer.selfSigned).toBe(true);
  });

  it("holds a detached CMS that openssl verifies over the signed byte ranges, with the dev certificate as trust anchor", () => {
    const parts = readSignatureParts(pdf);
    writeFileSync(file("dev-sig.der"), parts.der);
    writeFileSync(file("dev-content.bin"), parts.signedContent);
    writeFileSync(file("dev-cert.pem"), new X509Certificate(devSigner.certificates[0]!).toString());
    const verify = (extra: string[]) =>
      spawnSync("openssl", ["cms", "-verify", "-inform", "DER", "-in", file("dev-sig.der"), "-content", file("dev-content.bin"), "-binary", "-out", "/dev/null", ...extra], { encoding: "utf8" });
    const withCa = verify(["-CAfile", file("dev-cert.pem")]);
    expect(withCa.stderr).toContain("Verification successful");
    expect(withCa.status).toBe(0);
    // Other content: openssl refuses.
    writeFileSync(file("dev-content.bin"), Buffer.concat([parts.signedContent, Buffer.from("x")]));
    expect(verify(["-noverify"]).status).not.toBe(0);
  });

  it("passes our verifier, which says it is a development certificate", async () => {
    const result = await verifyEvidencePdf(pdf);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.coversWholeFile).toBe(true);
    expect(result.appendedBytes).toBe(0);
    expect(result.signer?.fingerprintSha256).toBe(new X509Certificate(devSigner.certificates[0]!).fingerprint256);
    expect(result.signer?.development).toBe(true);
    expect(result.notes.join(" ")).toContain("development certificate");
    expect(result.timestamp).toBeNull();
    expect(result.signedAt).toEqual(signed.signedAt);
    // In the name tree's order (sorted by name).
    expect(result.attachments).toEqual(
      ATTACHMENTS.map((a) => ({ name: a.name, sha256: sha256(a.data), size: a.data.length, matchesManifest: true })).sort((a, b) => a.name.localeCompare(b.name)),
    );
    expect((result.manifest as { format: string }).format).toBe("assay-evidence-package/1");
  });

  it("fails for pdfsig and for us when one byte of the first signed range changes", async () => {
    const copy = tamperedCopy(pdf, "dev-flip-1.pdf");
    const bytes = readFileSync(copy);
    // A hex digit of an attachment's /CheckSum: the structure stays intact, the content does not.
    const at = bytes.indexOf("/CheckSum (") + "/CheckSum (".length;
    expect(at).toBeLessThan(readSignatureParts(copy).byteRange[1]);
    overwrite(copy, at, bytes[at] === 0x61 ? "b" : "a");
    expect(pdfsig(copy)).toContain("Digest Mismatch.");
    const result = await verifyEvidencePdf(copy);
    expect(result.valid).toBe(false);
    expect(check(result, "Document digest")?.ok).toBe(false);
  });

  it("fails for pdfsig and for us when one byte of the second signed range changes", async () => {
    const copy = tamperedCopy(pdf, "dev-flip-2.pdf");
    const at = readFileSync(copy).indexOf("(Evidence package issued by Assay)") + 1;
    expect(at).toBeGreaterThan(readSignatureParts(copy).byteRange[2]);
    overwrite(copy, at, "e");
    expect(pdfsig(copy)).toContain("Digest Mismatch.");
    expect((await verifyEvidencePdf(copy)).valid).toBe(false);
  });

  it("reports bytes appended after signing: pdfsig no longer says the whole document is signed, we say invalid", async () => {
    const copy = tamperedCopy(pdf, "dev-appended.pdf");
    const extra = "\n% appended after signing\n";
    appendFileSync(copy, extra);
    const out = pdfsig(copy);
    expect(out).toContain("Signature is Valid.");
    expect(out).not.toContain("Total document signed");
    const result = await verifyEvidencePdf(copy);
    expect(result.valid).toBe(false);
    expect(result.coversWholeFile).toBe(false);
    expect(result.appendedBytes).toBe(extra.length);
    expect(check(result, "Document digest")?.ok).toBe(true); // the signed part itself is intact
  });

  it("is invalid for us when a byte in the signature's zero padding is not zero", async () => {
    const copy = tamperedCopy(pdf, "dev-padding.pdf");
    const { byteRange } = readSignatureParts(copy);
    overwrite(copy, byteRange[2] - 2, "1"); // the last hex digit before ">"
    const result = await verifyEvidencePdf(copy);
    expect(result.valid).toBe(false);
    expect(check(result, "Signature padding")?.ok).toBe(false);
  });

  it("is invalid for us when the embedded certificate's name is edited, which pdfsig shows as valid", async () => {
    const copy = tamperedCopy(pdf, "dev-renamed.pdf");
    const parts = readSignatureParts(copy);
    // In the certificate the issuer's name comes first, then the subject's: rename the subject.
    const name = Buffer.from("Assay development certificate");
    const subject = parts.der.indexOf(name, parts.der.indexOf(name) + 1);
    expect(subject).toBeGreaterThan(0);
    overwrite(copy, parts.hexStart + 2 * subject, Buffer.from("E").toString("hex")); // "Essay development certificate"

    // The key is unchanged, so the document signature still verifies for pdfsig, under the new name.
    const out = pdfsig(copy);
    expect(out).toContain("Signature is Valid.");
    expect(out).toContain("Essay development certificate");

    const result = await verifyEvidencePdf(copy);
    expect(result.valid).toBe(false);
    expect(check(result, "Certificate")?.detail).toContain("names another certificate");
  });

  it("is refused, not crashed on, when rewritten by another tool or not a PDF at all", async () => {
    const badHex = tamperedCopy(pdf, "bad-hex.pdf");
    overwrite(badHex, readSignatureParts(pdf).hexStart + 10, "g");
    const hex = await verifyEvidencePdf(badHex);
    expect(hex.valid).toBe(false);
    expect(hex.problems[0]).toMatch(/hex string .* holds "g"/);

    execFileSync("qpdf", ["--object-streams=generate", pdf, file("rewritten.pdf")]);
    const rewritten = await verifyEvidencePdf(file("rewritten.pdf"));
    expect(rewritten.valid).toBe(false);
    expect(check(rewritten, "PDF structure")).toMatchObject({ ok: false });

    writeFileSync(file("not-a-pdf.pdf"), "hello, I am text\n");
    const text = await verifyEvidencePdf(file("not-a-pdf.pdf"));
    expect(text.valid).toBe(false);
    expect(text.problems[0]).toMatch(/cannot be read as a PDF/);

    const truncated = tamperedCopy(pdf, "truncated.pdf");
    writeFileSync(truncated, readFileSync(pdf).subarray(0, 5000));
    expect((await verifyEvidencePdf(truncated)).valid).toBe(false);
  });
});

describe("timestamps (RFC 3161, local openssl TSA)", () => {
  let pdf: string;
  let signed: Awaited<ReturnType<typeof signPdfFile>>;
  beforeAll(async () => {
    ({ pdf, signed } = await signedPackage("stamped.pdf", devSigner, { tsaUrl: tsa.url }));
  });

  it("adds a token that openssl, pdfsig and our verifier accept", async () => {
    expect(signed.timestamped).toBe(true);
    expect(signed.timestamp?.tsa).toContain("Assay Test TSA");
    const out = pdfsig(pdf);
    expect(out).toContain("Signature is Valid.");
    expect(out).toContain("Total document signed");

    // Independently of our code: the token is over the signature value and chains to the TSA's CA.
    const { signatureValue, token } = readTimestampParts(readSignatureParts(pdf).der);
    writeFileSync(file("token.der"), token!);
    writeFileSync(file("signature-value.bin"), signatureValue);
    const { stdout } = await execFileAsync("openssl", ["ts", "-verify", "-in", file("token.der"), "-token_in", "-data", file("signature-value.bin"), "-CAfile", tsa.caPath]);
    expect(stdout).toContain("Verification: OK");

    const result = await verifyEvidencePdf(pdf);
    expect(result.problems).toEqual([]);
    expect(result.valid).toBe(true);
    expect(result.timestamp?.tsa).toContain("Assay Test TSA");
    expect(Math.abs(result.timestamp!.time.getTime() - Date.now())).toBeLessThan(60_000);
    expect(result.notes.join(" ")).not.toContain("No timestamp");
  });

  it("catches a changed token, which pdfsig does not notice", async () => {
    const copy = tamperedCopy(pdf, "stamped-backdated.pdf");
    const parts = readSignatureParts(copy);
    const { tokenOffset, token } = readTimestampParts(parts.der);
    // The TSTInfo's genTime is the token's one GeneralizedTime (tag 0x18, 15 bytes "YYYYMMDDhhmmssZ"):
    // back-date it by a year, keeping a valid date and valid hex.
    const genTime = token!.indexOf(Buffer.from([0x18, 0x0f, 0x32, 0x30]));
    expect(genTime).toBeGreaterThan(0);
    const yearDigit = tokenOffset + genTime + 2 + 3;
    const digit = parts.der[yearDigit]! - 0x30;
    overwrite(copy, parts.hexStart + 2 * yearDigit, (0x30 + ((digit + 9) % 10)).toString(16));

    // pdfsig checks the document signature only; the unsigned timestamp attribute is not part of it.
    const out = pdfsig(copy);
    expect(out).toContain("Signature is Valid.");
    expect(out).toContain("Total document signed");

    const result = await verifyEvidencePdf(copy);
    expect(result.valid).toBe(false);
    expect(check(result, "Timestamp")?.ok).toBe(false);
    expect(check(result, "Document digest")?.ok).toBe(true);
  });

  it("refuses to sign when the authority cannot be reached", async () => {
    const pdf = file("no-tsa.pdf");
    await buildTestPdf(pdf, { attachments: ATTACHMENTS });
    const error = await signPdfFile({ path: pdf, signer: devSigner, tsaUrl: "http://127.0.0.1:9/tsa" }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe("UNAVAILABLE");
    expect((error as AppError).message).toContain("timestamp authority");
  });
});

describe("signers", () => {
  it("loads a PKCS#12 made by openssl (RSA and EC) and signs packages pdfsig and we accept", async () => {
    for (const [kind, keyArgs] of [
      ["rsa", ["-newkey", "rsa:2048"]],
      ["ec", ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256"]],
    ] as const) {
      execFileSync("openssl", ["req", "-x509", ...keyArgs, "-nodes", "-keyout", file(`${kind}.key`), "-out", file(`${kind}.pem`), "-days", "30", "-subj", `/CN=Example Corp Evidence Signing ${kind}/O=Example Corp`], { stdio: "pipe" });
      execFileSync("openssl", ["pkcs12", "-export", "-inkey", file(`${kind}.key`), "-in", file(`${kind}.pem`), "-out", file(`${kind}.p12`), "-passout", "pass:correct horse"]);
      const signer = await loadP12Signer({ path: file(`${kind}.p12`), passphrase: "correct horse" });
      expect(signer.describe()).toMatchObject({ subject: `CN=Example Corp Evidence Signing ${kind}, O=Example Corp`, selfSigned: true, development: false });

      const { pdf } = await signedPackage(`p12-${kind}.pdf`, signer);
      const out = pdfsig(pdf);
      expect(out).toContain("Signature is Valid.");
      expect(out).toContain("Total document signed");
      const result = await verifyEvidencePdf(pdf);
      expect(result.problems).toEqual([]);
      expect(result.valid).toBe(true);
      expect(result.signer?.subject).toContain("Example Corp");
      expect(result.notes.join(" ")).toContain("self-signed");
      const parts = readSignatureParts(pdf);
      writeFileSync(file(`${kind}-sig.der`), parts.der);
      writeFileSync(file(`${kind}-content.bin`), parts.signedContent);
      const cms = spawnSync("openssl", ["cms", "-verify", "-inform", "DER", "-in", file(`${kind}-sig.der`), "-content", file(`${kind}-content.bin`), "-binary", "-CAfile", file(`${kind}.pem`), "-out", "/dev/null"], { encoding: "utf8" });
      expect(cms.status, cms.stderr).toBe(0);
    }
  });

  it("refuses a wrong passphrase, a missing file and a file that is not PKCS#12 with a clear AppError", async () => {
    execFileSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", file("pw.key"), "-out", file("pw.pem"), "-days", "30", "-subj", "/CN=Passphrase test"], { stdio: "pipe" });
    execFileSync("openssl", ["pkcs12", "-export", "-inkey", file("pw.key"), "-in", file("pw.pem"), "-out", file("pw.p12"), "-passout", "pass:right"]);
    const refusal = (options: { path: string; passphrase: string }) => loadP12Signer(options).then(() => null, (e: unknown) => e);

    const wrong = await refusal({ path: file("pw.p12"), passphrase: "wrong" });
    expect(wrong).toBeInstanceOf(AppError);
    expect(wrong).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("passphrase does not open") });
    expect(await refusal({ path: file("missing.p12"), passphrase: "x" })).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("Cannot read") });
    expect(await refusal({ path: file("pw.pem"), passphrase: "x" })).toMatchObject({ code: "INVALID_INPUT", message: expect.stringContaining("not a PKCS#12") });
  });

  it("keeps one development certificate per data directory, readable only by its owner", async () => {
    const again = await createDevSigner({ dir: file("signing") });
    expect(again.describe().fingerprintSha256).toBe(devSigner.describe().fingerprintSha256);
    const p12 = path.join(file("signing"), "development-signing.p12");
    expect(statSync(p12).mode & 0o777).toBe(0o600);
    expect(devSigner.describe().subject).toContain("Assay development certificate — not for production");
  });

  it("refuses to issue in production without a certificate, and uses the development one otherwise", async () => {
    const refused = await resolveEvidenceSigner({ production: true, dataDir: dir }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: "UNAVAILABLE", message: expect.stringContaining("SIGNING_P12_PATH") });
    const demo = await resolveEvidenceSigner({ production: false, dataDir: dir });
    expect(demo.describe().fingerprintSha256).toBe(devSigner.describe().fingerprintSha256);
  });
});

describe("the package's contents", () => {
  it("is invalid when an attachment does not match the manifest, or the manifest lists a file that is missing", async () => {
    const { pdf } = await signedPackage("bad-manifest.pdf", devSigner, {
      manifest: (m) => ({
        ...m,
        attachments: [
          { ...m.attachments[0]!, sha256: "0".repeat(64) },
          m.attachments[1]!,
          { embeddedName: "soc2-report.pdf", fileName: "soc2-report.pdf", sha256: "1".repeat(64), size: 10, mediaType: "application/pdf" },
        ],
      }),
    });
    expect(pdfsig(pdf)).toContain("Signature is Valid."); // the signature is fine: the contents are not
    const result = await verifyEvidencePdf(pdf);
    expect(result.valid).toBe(false);
    expect(result.attachments.map((a) => [a.name, a.matchesManifest])).toEqual([
      ["dpa.txt", true],
      ["iso-27001-certificate.pdf", false],
    ]);
    expect(check(result, "Attachments")?.detail).toMatch(/"iso-27001-certificate\.pdf" does not match.*"soc2-report\.pdf" is in the manifest but not embedded/);
  });

  it("is invalid when files are embedded without a manifest", async () => {
    const { pdf } = await signedPackage("no-manifest.pdf", devSigner, { manifest: false });
    const result = await verifyEvidencePdf(pdf);
    expect(result.valid).toBe(false);
    expect(check(result, "Attachments")?.detail).toContain("no manifest.json");
  });

  it("signs the real placeholder even when an attachment contains a fake one", async () => {
    const decoy = Buffer.from("/Type /Sig /ByteRange [0 /********** /********** /**********] /Contents <0000>");
    const pdf = file("decoy.pdf");
    await buildTestPdf(pdf, { attachments: [{ name: "decoy.txt", data: decoy, mediaType: "text/plain", compress: false }] });
    expect(readFileSync(pdf).indexOf(decoy)).toBeGreaterThan(0); // stored as is, before the real one
    await signPdfFile({ path: pdf, signer: devSigner });
    expect(readFileSync(pdf).indexOf(decoy)).toBeGreaterThan(0);
    expect(pdfsig(pdf)).toContain("Total document signed");
    expect((await verifyEvidencePdf(pdf)).valid).toBe(true);
  });

  it("refuses, with the size it needed, a signature that does not fit the reserved space", async () => {
    const pdf = file("small-placeholder.pdf");
    await buildTestPdf(pdf, { attachments: ATTACHMENTS, signatureBytes: 256 });
    const error = await signPdfFile({ path: pdf, signer: devSigner }).catch((e: unknown) => e);
    expect(error).toMatchObject({ code: "TOO_LARGE", message: expect.stringMatching(/needs \d+ bytes but the package reserves 256/) });
  });
});

describe("npm run evidence:verify", () => {
  // Only PATH: the verifier must need no database, no secrets, no Assay settings. (Next's types
  // declare NODE_ENV as always set, hence the cast.)
  const bareEnv = { PATH: process.env.PATH } as unknown as NodeJS.ProcessEnv;
  const cli = (...args: string[]) =>
    execFileAsync(path.resolve("node_modules/.bin/tsx"), ["--conditions=react-server", "scripts/evidence-verify.ts", ...args], { env: bareEnv }).then(
      ({ stdout }) => ({ code: 0, stdout }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: `${e.stdout}${e.stderr}` }),
    );

  it("exits 0 with VALID, 1 with INVALID, 2 for a file it cannot open — without a database or any env", async () => {
    const { pdf } = await signedPackage("cli.pdf", devSigner);
    const tampered = tamperedCopy(pdf, "cli-tampered.pdf");
    appendFileSync(tampered, "%%EOF\n");
    const [valid, invalid, missing, json] = await Promise.all([cli(pdf), cli(tampered), cli(file("nope.pdf")), cli(pdf, "--json")]);
    expect(valid.code).toBe(0);
    expect(valid.stdout).toMatch(/^VALID — /);
    expect(valid.stdout).toContain("✓ Document digest");
    expect(valid.stdout).toContain("self-signed DEVELOPMENT certificate");
    expect(valid.stdout).toContain("Attachments:  2 (2 matching the manifest)");
    expect(invalid.code).toBe(1);
    expect(invalid.stdout).toMatch(/^INVALID — /);
    expect(invalid.stdout).toContain("✗ Whole file signed: 6 bytes were added after the signed part");
    expect(missing.code).toBe(2);
    expect(missing.stdout).toContain("Cannot open");
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({ valid: true, coversWholeFile: true });
  }, 60_000);
});
