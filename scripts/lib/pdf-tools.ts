import { execFileSync, spawnSync } from "node:child_process";

// The PDF tools the evidence-package tests check our output with, independently of our own
// code: poppler's pdfsig (signature), pdfdetach (attachments), pdftotext (text), and qpdf
// (structure). Debian packages them as poppler-utils and qpdf.

const TOOLS = [
  { command: "pdfsig", pkg: "poppler-utils" },
  { command: "pdfdetach", pkg: "poppler-utils" },
  { command: "pdftotext", pkg: "poppler-utils" },
  { command: "qpdf", pkg: "qpdf" },
] as const;

const has = (command: string) => spawnSync("sh", ["-c", `command -v ${command}`]).status === 0;

/**
 * Makes sure the PDF tools exist, installing Debian's packages when we are root on Debian.
 * Returns an explanation when it cannot, for the test run to print (and fail on: the tests that
 * use them must not be skipped quietly).
 */
export function ensurePdfTools(say: (line: string) => void): { ok: true } | { ok: false; why: string } {
  const missing = () => TOOLS.filter((t) => !has(t.command));
  if (missing().length === 0) return { ok: true };
  const packages = [...new Set(missing().map((t) => t.pkg))];
  const isRoot = process.getuid?.() === 0;
  if (isRoot && has("apt-get")) {
    say(`PDF tools missing: installing Debian's ${packages.join(" and ")} (once)…`);
    try {
      execFileSync("apt-get", ["update", "-qq"], { stdio: "inherit" });
      execFileSync("apt-get", ["install", "-y", "-qq", "--no-install-recommends", ...packages], {
        stdio: "inherit",
        env: { ...process.env, DEBIAN_FRONTEND: "noninteractive" },
      });
    } catch (e) {
      return { ok: false, why: `apt-get could not install ${packages.join(" ")}: ${e instanceof Error ? e.message : String(e)}` };
    }
    if (missing().length === 0) return { ok: true };
  }
  return {
    ok: false,
    why:
      `The evidence-package tests need ${missing().map((t) => t.command).join(", ")}. Install them: ` +
      `Debian/Ubuntu \`sudo apt-get install ${packages.join(" ")}\`; macOS \`brew install poppler qpdf\`.`,
  };
}
