// `tsx --conditions=react-server bench/package.ts` (npm run bench:package): how long issuing an
// evidence package takes and how much memory it needs, for an audit of 300 answers with 100 MB
// of attachments, then with 200 MB (half incompressible, half text), as the issue asks:
//
//   embedded Postgres in a temp dir → migrations → a generated questionnaire version of 300
//   questions (4 sections, text / long text / yes-no / choices, a follow-up per group) → one
//   signed-off audit per size: every question answered (varied lengths, some Swedish, German,
//   Chinese, Greek), every fifth answer rated, a verdict, attachments written into the chunk
//   store (setup, not measured) → a warm-up on a small audit → for each size, each in a FRESH
//   child process (bench/package-child.ts), so that its peak RSS is its own:
//
//     idle        the same modules loaded, the database touched: the server side's memory baseline
//     zip         the baseline for time: the same attachments, read from the same store, through
//                 CRC-32 and zlib deflate level 6, streamed to a file — what zipping them costs a
//                 user who would send a ZIP instead (the ZIP container's headers are negligible)
//     generation  what the issuing job does to make the file, with the job's own function
//                 (generateEvidencePackage): the package's data read in the bench's process (the
//                 server's part), then rendered and signed by the package worker, the child
//                 process the job starts, run from its production bundle (.next/assay/, built
//                 here first as `npm run build` does)
//     issuance    issueEvidencePackage itself: generation + storing the signed file as chunk rows
//                 in Postgres + marking the package READY (a request queued as the app does it)
//
// then checks the largest generated package with our verifier (not timed) and prints a table and
// one verdict per target: generation ≤ 2 × zip; the peak RSS of the process that generates the
// package (the worker) ≤ 200 MB, and flat (within ~10%) when the attachments double. What the
// server's process adds meanwhile (reading the data; storing the file) is printed beside it. Figures only, never asserted: this machine's 2 cores are shared
// with Postgres (and whatever else runs), so timings are noisy; run it twice. The exit code is
// non-zero only when the setup or the clean-up fails. MB = 10^6 bytes throughout.
//
// Signed with the generated development certificate (no P12, no timestamp authority): the
// signature itself costs milliseconds either way.
//
// Env: BENCH_SIZES_MB ("100,200"), BENCH_RUNS (1; more runs: best time, highest peak),
// BENCH_QUESTIONS (300), BENCH_WARMUP_MB (4), BENCH_NODE_FLAGS (extra Node flags for the measured
// server-side processes; the worker's flags are the app's, in run-package-worker.ts).

import { spawn, type ChildProcess } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDeploy } from "@/lib/db/migrations";
import type { TChildResult } from "./package-child";

const ROOT = process.cwd();
const MB = 1_000_000;
const num = (name: string, fallback: number, max: number) => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isFinite(v) && v > 0 && v <= max ? v : fallback;
};
const SIZES_MB = (process.env.BENCH_SIZES_MB ?? "100,200")
  .split(",")
  .map(Number)
  .filter((n) => Number.isFinite(n) && n > 0 && n <= 2000)
  .slice(0, 5);
const RUNS = Math.round(num("BENCH_RUNS", 1, 10));
const QUESTIONS = Math.round(num("BENCH_QUESTIONS", 300, 2000));
const WARMUP_MB = num("BENCH_WARMUP_MB", 4, 100);
const TARGETS = { ratioToZip: 2, peakRssMb: 200, flatWithin: 0.1 };
const NODE_FLAGS = (process.env.BENCH_NODE_FLAGS ?? "").split(/\s+/).filter((f) => f.startsWith("--"));
const WATCHDOG_MS = 20 * 60_000;

const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const s = (ms: number) => (ms / 1000).toFixed(2);
const mb = (bytes: number) => (bytes / MB).toFixed(0);

interface TRow {
  sizeMb: number;
  idle: TChildResult[];
  zip: TChildResult[];
  generation: TChildResult[];
  issuance: TChildResult[];
}

let current: ChildProcess | undefined;

/** Runs one measured operation in a fresh Node process (same Node, same loader as this one). */
function runChild(args: string[]): Promise<TChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...NODE_FLAGS, "--conditions=react-server", "--import", "tsx", path.join(ROOT, "bench", "package-child.ts"), ...args], {
      cwd: ROOT,
      // production: the package worker runs from its bundle, as in the app (not through tsx).
      env: { ...process.env, NODE_ENV: "production" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    current = child;
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err = (err + d.toString()).slice(-8000)));
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      current = undefined;
      const line = out.split("\n").find((l) => l.startsWith("RESULT "));
      if (code === 0 && line) resolve(JSON.parse(line.slice("RESULT ".length)) as TChildResult);
      else reject(new Error(`${args[0]} failed (exit ${code ?? signal}):\n${err.trim() || out.trim()}`));
    });
  });
}

const best = (rs: TChildResult[]) => Math.min(...rs.map((r) => r.ms));
const bestCpu = (rs: TChildResult[]) => Math.min(...rs.map((r) => r.cpuMs));
const peak = (rs: TChildResult[]) => Math.max(...rs.map((r) => r.maxRss));
const pad = (v: string, n: number) => v.padStart(n);

async function main(): Promise<void> {
  const benchStarted = performance.now();
  if (SIZES_MB.length === 0) throw new Error("BENCH_SIZES_MB lists no usable size");
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-bench-package-"));
  const workDir = path.join(dataDir, "work");
  const questionnairesDir = path.join(dataDir, "questionnaires");
  mkdirSync(workDir);
  let pg: EmbeddedPostgres | undefined;
  let closeSetup: (() => Promise<void>) | undefined;
  let stopping: Promise<void> | undefined;
  let cleanupFailed = false;
  const stop = () =>
    (stopping ??= (async () => {
      if (current && current.exitCode === null) current.kill("SIGKILL");
      await closeSetup?.().catch(() => {});
      await pg?.stop().catch(() => {});
      try {
        rmSync(dataDir, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
      } catch (e) {
        cleanupFailed = true;
        process.stderr.write(`[bench] Could not remove ${dataDir}: ${e instanceof Error ? e.message : String(e)}\n`);
      }
    })());
  process.on("SIGINT", () => void stop().then(() => process.exit(130)));
  process.on("SIGTERM", () => void stop().then(() => process.exit(143)));
  const watchdog = setTimeout(() => {
    say(`Still running after ${WATCHDOG_MS / 60_000} min: stopping.`);
    void stop().then(() => process.exit(1));
  }, WATCHDOG_MS);

  try {
    // ── setup (not measured) ──
    const setupStarted = performance.now();
    say(`Embedded Postgres, data and packages in ${dataDir} (removed at the end).`);
    pg = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "postgres") });
    // Every child inherits this environment; lib/env reads it (once, on first use).
    Object.assign(process.env, {
      DATABASE_URL: pg.databaseUrl,
      ASSAY_DATA_DIR: dataDir,
      QUESTIONNAIRES_DIR: questionnairesDir,
      ASSAY_ENV: "",
      LOG_LEVEL: "warn",
      ...{ SIGNING_P12_PATH: "", SIGNING_P12_PASSPHRASE: "", TSA_URL: "", SMTP_URL: "", MAIL_FROM: "" },
    });
    await migrateDeploy({ databaseUrl: pg.databaseUrl });
    // The package worker's bundle, as `npm run build` makes it (into .next/assay/).
    const { buildBundles } = await import("../scripts/lib/build-bundles");
    await buildBundles(ROOT);
    const setup = await import("./package-setup");
    const { getDb } = await import("@/lib/db");
    const { syncQuestionnaires } = await import("@/lib/questionnaires/sync-questionnaires");
    closeSetup = setup.closeBenchSetup;
    setup.writeBenchQuestionnaire(questionnairesDir, QUESTIONS);
    await syncQuestionnaires({ dir: questionnairesDir });
    const { id: questionnaireVersionId } = await getDb().questionnaireVersion.findUniqueOrThrow({
      where: { slug_version: { slug: setup.BENCH_SLUG, version: setup.BENCH_VERSION } },
      select: { id: true },
    });
    const people = await setup.createBenchPeople();
    const makeAudit = (sizeMb: number, seed: number) =>
      setup.createSignedOffBenchAudit({ people, questionnaireVersionId, providerName: `Bench Cloud ${sizeMb} MB`, attachmentBytes: Math.round(sizeMb * MB), seed });
    const warmAudit = await makeAudit(WARMUP_MB, 1);
    const audits: { sizeMb: number; auditId: string }[] = [];
    for (const [k, sizeMb] of SIZES_MB.entries()) audits.push({ sizeMb, auditId: await makeAudit(sizeMb, k + 2) });
    say(
      `Setup: questionnaire of ${QUESTIONS} questions; ${audits.length + 1} signed-off audits (${[WARMUP_MB, ...SIZES_MB].join(", ")} MB of attachments, ` +
        `half random bytes as .zip, half CSV/log text), every question answered, in ${s(performance.now() - setupStarted)} s.`,
    );
    say(
      `Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}; Node ${process.version}` +
        `${NODE_FLAGS.length > 0 ? `, measured processes with ${NODE_FLAGS.join(" ")}` : ""}.`,
    );

    // ── warm-up: one small run of each (compiles and caches the TypeScript, creates the
    //    development certificate, warms Postgres and the page cache) ──
    await runChild(["idle"]);
    const warmZip = await runChild(["zip", warmAudit, path.join(workDir, "warm.zip")]);
    const warmGen = await runChild(["generate", warmAudit, path.join(workDir, "warm.pdf")]);
    const warmIss = await runChild(["issue", await setup.requestBenchPackage({ people, auditId: warmAudit, fresh: false })]);
    rmSync(path.join(workDir, "warm.pdf"), { force: true });
    say(`Warm-up (${WARMUP_MB} MB, not counted): zip ${s(warmZip.ms)} s, generation ${s(warmGen.ms)} s, issuance ${s(warmIss.ms)} s.`);

    // ── the measured runs ──
    const rows: TRow[] = audits.map((a) => ({ sizeMb: a.sizeMb, idle: [], zip: [], generation: [], issuance: [] }));
    let lastPdf = "";
    let lastPdfSize = 0;
    for (let run = 1; run <= RUNS; run++) {
      for (const [k, a] of audits.entries()) {
        const row = rows[k]!;
        const idle = await runChild(["idle"]);
        const zip = await runChild(["zip", a.auditId, path.join(workDir, "attachments.deflate")]);
        const pdf = path.join(workDir, `package-${a.sizeMb}.pdf`);
        const gen = await runChild(["generate", a.auditId, pdf]);
        const packageId = await setup.requestBenchPackage({ people, auditId: a.auditId, fresh: run > 1 });
        const iss = await runChild(["issue", packageId]);
        row.idle.push(idle);
        row.zip.push(zip);
        row.generation.push(gen);
        row.issuance.push(iss);
        if (a.sizeMb >= lastPdfSize) {
          if (lastPdf && lastPdf !== pdf) rmSync(lastPdf, { force: true });
          lastPdf = pdf;
          lastPdfSize = a.sizeMb;
        } else {
          rmSync(pdf, { force: true });
        }
        say(
          `run ${run}, ${a.sizeMb} MB: zip ${s(zip.ms)} s (CPU ${s(zip.cpuMs)}), generation ${s(gen.ms)} s (worker CPU ${s(gen.workerCpuMs!)}, worker peak ${mb(gen.workerMaxRss!)} MB, ` +
            `server side peak ${mb(gen.maxRss)} MB), issuance ${s(iss.ms)} s (server side peak ${mb(iss.maxRss)} MB), idle ${mb(idle.maxRss)} MB; package ${mb(gen.bytes!)} MB, ${gen.pages} pages`,
        );
      }
    }

    // ── the produced package, checked once (not timed) ──
    const { verifyEvidencePdf } = await import("@/lib/evidence/verify/verify-evidence-pdf");
    const verification = await verifyEvidencePdf(lastPdf);

    // ── report ──
    say("");
    say(`Evidence package: ${QUESTIONS} answers + attachments; ${RUNS > 1 ? `best time and highest peak of ${RUNS} runs` : "one run"}, each operation in a fresh process`);
    const header = [
      "attach. MB",
      "generation s",
      "issuance s",
      "zip-deflate-6 s",
      "gen ÷ zip",
      "(CPU time)",
      "worker peak MB",
      "server idle MB",
      "+ reading",
      "+ storing",
      "zip peak MB",
      "package MB",
      "pages",
    ];
    const widths = header.map((h) => Math.max(h.length, 8));
    const idleOf = (r: TRow) => Math.min(...r.idle.map((x) => x.maxRss));
    const workerPeak = (r: TRow) => Math.max(...r.generation.map((x) => x.workerMaxRss!));
    say(`  ${header.map((h, i) => pad(h, widths[i]!)).join("  ")}`);
    for (const r of rows) {
      const cells = [
        String(r.sizeMb),
        s(best(r.generation)),
        s(best(r.issuance)),
        s(best(r.zip)),
        `${(best(r.generation) / best(r.zip)).toFixed(2)}×`,
        `${(Math.min(...r.generation.map((x) => x.workerCpuMs! + x.cpuMs)) / bestCpu(r.zip)).toFixed(2)}×`,
        mb(workerPeak(r)),
        mb(idleOf(r)),
        `+${mb(peak(r.generation) - idleOf(r))}`,
        `+${mb(peak(r.issuance) - idleOf(r))}`,
        mb(peak(r.zip)),
        (r.generation.at(-1)!.bytes! / MB).toFixed(1),
        String(r.generation.at(-1)!.pages),
      ];
      say(`  ${cells.map((c, i) => pad(c, widths[i]!)).join("  ")}`);
    }
    const zipOut = rows.map((r) => `${r.sizeMb} MB → ${mb(r.zip.at(-1)!.bytes!)} MB`).join(", ");
    say(`  (zip: ${zipOut} deflated, read from the same store as the package; a ZIP's own headers, ~100 bytes a file, are negligible and left out.`);
    say("   Generation deflates only the files that compress and stores the others as they are.");
    say("   CPU time: generation's is the worker's plus the server side's — steadier than wall time when the machine is busy; the target is on wall time.");
    say("   worker peak: the package worker, the process that renders and signs. server idle: the issuing process (here tsx + Prisma, standing in");
    say("   for the Next server) before any work; + reading / + storing: what its peak rose to above that while it read the package's data and");
    say("   waited for the worker (generation), and while it also stored the signed file in Postgres (issuance).)");
    say("");
    say(`Package check (our verifier, ${path.basename(lastPdf)}): ${verification.valid ? "valid" : `INVALID — ${verification.problems.join("; ")}`}`);
    say("");

    const verdict = (text: string, met: boolean) => say(`  ${text.padEnd(110)} ${met ? "met" : "MISSED"}`);
    say("Targets");
    const ratios = rows.map((r) => ({ sizeMb: r.sizeMb, ratio: best(r.generation) / best(r.zip) }));
    verdict(
      `generation ≤ ${TARGETS.ratioToZip}× zip-deflate-6: ${ratios.map((x) => `${x.ratio.toFixed(2)}× at ${x.sizeMb} MB`).join(", ")}`,
      ratios.every((x) => x.ratio <= TARGETS.ratioToZip),
    );
    const peaks = rows.map((r) => ({ sizeMb: r.sizeMb, peak: workerPeak(r) }));
    verdict(
      `peak RSS of the process that generates the package (the worker) ≤ ${TARGETS.peakRssMb} MB: ${peaks.map((p) => `${mb(p.peak)} MB at ${p.sizeMb} MB`).join(", ")}`,
      peaks.every((p) => p.peak <= TARGETS.peakRssMb * MB),
    );
    const flat = (label: string, points: { sizeMb: number; value: number }[], show: (v: number) => string) => {
      if (points.length < 2) return;
      const lo = points.reduce((a, b) => (b.sizeMb < a.sizeMb ? b : a));
      const hi = points.reduce((a, b) => (b.sizeMb > a.sizeMb ? b : a));
      const growth = hi.value / lo.value - 1;
      verdict(
        `${label} flat (within ${TARGETS.flatWithin * 100}%) from ${lo.sizeMb} to ${hi.sizeMb} MB: ${show(lo.value)} → ${show(hi.value)} MB (${growth >= 0 ? "+" : ""}${(growth * 100).toFixed(1)}%)`,
        growth <= TARGETS.flatWithin,
      );
    };
    flat("worker peak RSS", peaks.map((p) => ({ sizeMb: p.sizeMb, value: p.peak })), mb);
    flat("issuing process's peak RSS", rows.map((r) => ({ sizeMb: r.sizeMb, value: peak(r.issuance) })), mb);
    say(`  The run took ${s(performance.now() - benchStarted)} s; load average at the end ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} on ${os.cpus().length} cores.`);
  } finally {
    clearTimeout(watchdog);
    await stop();
  }
  if (cleanupFailed) process.exitCode = 1;
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (e: unknown) => {
    process.stderr.write(`[bench] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
