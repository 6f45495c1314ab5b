// `npm run evidence:verify -- <file.pdf> [--json]`: checks a signed evidence package, for anyone
// who received one — no database, no configuration, no Assay installation beyond this checkout.
//
// Prints the verdict (VALID / INVALID), each check with ✓ or ✗, the signer, the signing time,
// the timestamp and the attachments. `--json` prints the full result instead.
// Exit code: 0 valid, 1 invalid, 2 usage error or a file that cannot be opened.

import { parseArgs } from "node:util";
import { verifyEvidencePdf, type TEvidenceVerification } from "@/lib/evidence/verify/verify-evidence-pdf";

const USAGE = "Usage: npm run evidence:verify -- <file.pdf> [--json]";

function render(file: string, r: TEvidenceVerification): string {
  const lines: string[] = [];
  lines.push(
    r.valid
      ? `VALID — ${file} is unchanged since it was signed${r.attachments.length > 0 ? ", and every attachment matches its manifest" : ""}.`
      : `INVALID — ${file} cannot be relied on: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"}.`,
  );
  // Integrity is not origin: say so in the verdict itself, not only in the notes below.
  if (r.valid && r.signer?.development) {
    lines.push("        Signed with a self-signed DEVELOPMENT certificate: it proves the file is unchanged, not who issued it.");
  } else if (r.valid && r.signer?.selfSigned) {
    lines.push("        Signed with a SELF-SIGNED certificate: check its fingerprint with the issuer before relying on who signed it.");
  }
  lines.push("");
  for (const c of r.checks) lines.push(`  ${c.ok ? "✓" : "✗"} ${c.name}: ${c.detail}`);
  for (const n of r.notes) lines.push(`  ! ${n}`);
  lines.push("");
  if (r.signer) {
    lines.push(`Signer:       ${r.signer.subject}`);
    lines.push(`Issuer:       ${r.signer.selfSigned ? "(self-signed)" : r.signer.issuer}`);
    lines.push(`Serial:       ${r.signer.serial}`);
    lines.push(`Fingerprint:  SHA-256 ${r.signer.fingerprintSha256}`);
    lines.push(`Valid:        ${r.signer.notBefore.toISOString()} to ${r.signer.notAfter.toISOString()}`);
  } else {
    lines.push("Signer:       unknown");
  }
  lines.push(`Signed at:    ${r.signedAt ? `${r.signedAt.toISOString()} (the signer's own clock)` : "not stated"}`);
  lines.push(`Timestamp:    ${r.timestamp ? `${r.timestamp.time.toISOString()} by ${r.timestamp.tsa}` : "none"}`);
  if (r.appendedBytes > 0) lines.push(`Appended:     ${r.appendedBytes.toLocaleString("en")} bytes after the signed part`);
  const matching = r.attachments.filter((a) => a.matchesManifest).length;
  lines.push(`Attachments:  ${r.attachments.length}${r.attachments.length > 0 ? ` (${matching} matching the manifest)` : ""}`);
  for (const a of r.attachments) {
    lines.push(`  ${a.matchesManifest ? "✓" : "✗"} ${a.name}  ${a.size === null ? "?" : a.size.toLocaleString("en")} bytes  sha256 ${a.sha256 ?? "?"}`);
  }
  return `${lines.join("\n")}\n`;
}

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: { json: { type: "boolean", default: false }, help: { type: "boolean", short: "h" } } });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n${USAGE}\n`);
    return 2;
  }
  if (parsed.values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const [file, ...extra] = parsed.positionals;
  if (!file || extra.length > 0) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let result: TEvidenceVerification;
  try {
    result = await verifyEvidencePdf(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    process.stderr.write(`Cannot open ${file}: ${code === "ENOENT" ? "no such file" : e instanceof Error ? e.message : String(e)}\n`);
    return 2;
  }
  process.stdout.write(parsed.values.json ? `${JSON.stringify(result, null, 2)}\n` : render(file, result));
  return result.valid ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exitCode = 2;
  },
);
