// `npm test`: every test, with what they need installed first.
//
//   1. type check (tsc)
//   2. production build, when the sources changed since the last one
//   3. unit + integration tests (vitest; integration runs against a real embedded Postgres
//      in a temporary data dir, and starts the app the way `npm start` does)
//   4. browser tests (Playwright + Chromium against the production build started by
//      scripts/start.ts, signing in through the real development identity provider)
//
// Ends with one line "N passed, N failed" and exits non-zero if anything failed or could not run.
// `--only unit|integration|e2e` runs one part.

import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { ensureChromium } from "./lib/chromium";
import { ensureBuild } from "./lib/ensure-build";
import { freePort } from "./lib/free-port";
import { ensurePdfTools } from "./lib/pdf-tools";

const say = (line: string) => process.stdout.write(`\n[test] ${line}\n`);
const onlyIndex = process.argv.indexOf("--only");
const only = onlyIndex > 0 ? process.argv[onlyIndex + 1] : undefined;
const wants = (part: "typecheck" | "unit" | "integration" | "e2e") => !only || only === part;
const results = { passed: 0, failed: 0, skipped: 0 };
const problems: string[] = [];
const out = path.resolve("test-results");
mkdirSync(out, { recursive: true });

function run(cmd: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { stdio: "inherit", env: { ...process.env, ...env } });
    child.on("exit", (code) => resolve(code ?? 1));
    child.on("error", () => resolve(1));
  });
}

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

/** A Postgres that outlived its test run (a crashed server, a test that restarted it) is stopped before its data dir goes. */
function stopLeftoverPostgres(pgDir: string) {
  try {
    const pid = Number(readFileSync(path.join(pgDir, "postmaster.pid"), "utf8").split("\n")[0]);
    if (!(pid > 0)) return;
    process.kill(pid, "SIGINT");
    // Wait (at most 10 s) for it to finish its fast shutdown before the directory is removed.
    for (const deadline = Date.now() + 10_000; Date.now() < deadline; ) {
      process.kill(pid, 0);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
    }
  } catch {
    // No postmaster.pid, or the process is gone: nothing is running there.
  }
}

async function main() {
  const started = Date.now();

  if (wants("typecheck")) {
    say("Type check");
    if ((await run(bin("tsc"), ["--noEmit"])) !== 0) problems.push("type check failed");
  }

  // The integration tests start the app as `npm start` does, and the browser tests drive it:
  // both need the production build.
  if (wants("integration") || wants("e2e")) {
    say("Production build");
    await ensureBuild(say);
  }

  const projects = (["unit", "integration"] as const).filter(wants);
  if (projects.includes("integration")) {
    // The evidence-package tests check our PDFs with poppler and qpdf: missing tools fail the
    // run (with how to install them) rather than skip those tests.
    const pdfTools = ensurePdfTools(say);
    if (!pdfTools.ok) problems.push(pdfTools.why);
  }
  if (projects.length > 0) {
    say(`Vitest: ${projects.join(" + ")}`);
    const report = path.join(out, "vitest.json");
    rmSync(report, { force: true });
    const code = await run(bin("vitest"), ["run", ...projects.flatMap((p) => ["--project", p]), "--reporter=default", "--reporter=json", `--outputFile.json=${report}`]);
    if (existsSync(report)) {
      const r = JSON.parse(readFileSync(report, "utf8")) as { numPassedTests: number; numFailedTests: number; numPendingTests: number; numTodoTests: number };
      results.passed += r.numPassedTests;
      results.failed += r.numFailedTests;
      results.skipped += r.numPendingTests + r.numTodoTests;
    }
    if (code !== 0) problems.push(`vitest exited with ${code}`);
  }

  if (wants("e2e")) {
    say("Browser tests (Playwright)");
    const browser = ensureChromium(say);
    if (!browser.ok) {
      problems.push(browser.why);
    } else {
      const report = path.join(out, "playwright.json");
      rmSync(report, { force: true });
      const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-e2e-"));
      const code = await run(bin("playwright"), ["test"], {
        E2E_PORT: String(await freePort()),
        E2E_SMTP_PORT: String(await freePort()),
        E2E_DATA_DIR: dataDir,
        E2E_MAIL_DIR: path.join(dataDir, "mail"),
        PLAYWRIGHT_JSON_OUTPUT_NAME: report,
      });
      stopLeftoverPostgres(path.join(dataDir, "postgres"));
      rmSync(dataDir, { recursive: true, force: true });
      if (existsSync(report)) {
        const r = JSON.parse(readFileSync(report, "utf8")) as { stats: { expected: number; unexpected: number; flaky: number; skipped: number } };
        results.passed += r.stats.expected + r.stats.flaky;
        results.failed += r.stats.unexpected;
        results.skipped += r.stats.skipped;
      }
      if (code !== 0) problems.push(`playwright exited with ${code}`);
    }
  }

  say(`Finished in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
  for (const p of problems) process.stdout.write(`[test] PROBLEM: ${p}\n`);
  // A problem that is not a counted test failure (type errors, a missing browser) still fails the run.
  const failed = results.failed + (problems.length > 0 && results.failed === 0 ? 1 : 0);
  process.stdout.write(`\n${results.passed} passed, ${failed} failed${results.skipped ? `, ${results.skipped} skipped` : ""}\n`);
  process.exit(problems.length > 0 || results.failed > 0 ? 1 : 0);
}

main().catch((e: unknown) => {
  process.stdout.write(`[test] PROBLEM: ${e instanceof Error ? e.message : String(e)}\n\n${results.passed} passed, ${results.failed + 1} failed\n`);
  process.exit(1);
});
