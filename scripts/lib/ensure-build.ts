import { createHash } from "node:crypto";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_WORKER_BUNDLE } from "@/lib/evidence/worker/run-package-worker";
import { buildBundles, WEB_SERVER_BUNDLE } from "./build-bundles";

// `npm start` builds when there is no build, and again when the sources changed since the last
// build (a `git pull` must not leave an old build running). The fingerprint covers everything
// that goes into the bundle; questionnaires are data loaded at start and are not part of it.

const ROOT = process.cwd();
const INPUTS = ["app", "components", "lib", "public", "proxy.ts", "instrumentation.ts", "next.config.ts", "postcss.config.mjs", "tsconfig.json", "package-lock.json", "prisma/schema.prisma"];
const STAMP = path.join(ROOT, ".next", "assay-source-hash");

function* files(p: string): Generator<string> {
  if (!existsSync(p)) return;
  if (statSync(p).isFile()) {
    yield p;
    return;
  }
  for (const entry of readdirSync(p, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.name === "node_modules" || entry.name.endsWith(".test.ts")) continue;
    yield* files(path.join(p, entry.name));
  }
}

export function sourceFingerprint(): string {
  const hash = createHash("sha256");
  for (const input of INPUTS) {
    for (const file of files(path.join(ROOT, input))) {
      hash.update(path.relative(ROOT, file)).update("\0").update(readFileSync(file)).update("\0");
    }
  }
  return hash.digest("hex");
}

export function buildIsCurrent(): boolean {
  return (
    existsSync(path.join(ROOT, ".next", "BUILD_ID")) &&
    existsSync(path.join(ROOT, PACKAGE_WORKER_BUNDLE)) &&
    existsSync(path.join(ROOT, WEB_SERVER_BUNDLE)) &&
    existsSync(STAMP) &&
    readFileSync(STAMP, "utf8") === sourceFingerprint()
  );
}

/** Runs `next build` and builds our two bundles (build-bundles.ts), unless the existing build matches the sources. */
export async function ensureBuild(log: (line: string) => void): Promise<void> {
  if (buildIsCurrent()) return;
  const fingerprint = sourceFingerprint();
  log(existsSync(path.join(ROOT, ".next", "BUILD_ID")) ? "Sources changed since the last build: building again (about a minute)…" : "No build yet: building the app (about a minute, once)…");
  const started = Date.now();
  await new Promise<void>((resolve, reject) => {
    const child = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["build"], {
      stdio: "inherit",
      env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NODE_ENV: "production" },
    });
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`next build failed (exit ${code})`))));
  });
  await buildBundles(ROOT);
  writeFileSync(STAMP, fingerprint);
  log(`Built in ${((Date.now() - started) / 1000).toFixed(0)} s.`);
}
