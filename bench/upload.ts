// `tsx --conditions=react-server bench/upload.ts` (npm run bench:upload): how fast a 100 MB
// evidence upload goes through the production server, and how much memory the server needs.
//
//   production build (if needed) → scripts/start.ts with its own embedded Postgres in a temp
//   dir → a test audit and invite link → warm-up → 100 MB ZIP (random bytes, stored) uploaded
//   RUNS times through POST /api/r/<token>/attachments, then downloaded once.
//
// Prints, for comparison in the same run: reading + hashing the same file here (the floor any
// upload pays: the bytes cross the disk and SHA-256 once), the ratio, and the server's peak
// resident memory during the upload against idle, with the target ≤ 1.5 × idle + 64 MB.
// Figures only, no assertions: this machine's neighbours make timings noisy; run it twice.
//
// Env: BENCH_MB (default 100), BENCH_RUNS (default 3).

import { spawn } from "node:child_process";
import { createHash, randomBytes, randomUUID } from "node:crypto";
import { createReadStream, createWriteStream, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { crc32 } from "node:zlib";
import pg from "pg";
import { closing, fieldPart, fileHeader, MULTIPART_CONTENT_TYPE, zipStoredStream } from "@/lib/attachments/sample-files";
import { generateToken } from "@/lib/invites/tokens";
import { freePort } from "../scripts/lib/free-port";

const MB = 1_000_000;
const MiB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_MB ?? 100) * MB;
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const ROOT = process.cwd();
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);

// ── the server's memory, from /proc ─────────────────────────────────────────────────────────

function procStatus(pid: number, key: "VmRSS" | "VmHWM"): number {
  const m = new RegExp(`${key}:\\s+(\\d+) kB`).exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) * 1024 : Number.NaN;
}

/** The web server process below `rootPid` (the start script → node …/.next/assay/web-server.mjs, Next.js inside). */
function findWebServer(rootPid: number): number {
  const children = new Map<number, number[]>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
    } catch {
      // gone meanwhile
    }
  }
  const descendants: number[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (descendants.push(c), walk(c)));
  walk(rootPid);
  const named = (pid: number) => {
    try {
      return `${readFileSync(`/proc/${pid}/comm`, "utf8")} ${readFileSync(`/proc/${pid}/cmdline`, "utf8")}`;
    } catch {
      return "";
    }
  };
  const server = descendants.find((p) => named(p).includes("web-server.mjs"));
  if (!server) throw new Error("no web server process (web-server.mjs) found below the start script");
  return server;
}

/** Samples VmRSS every 20 ms while `work` runs; also resets and reads the kernel's peak (VmHWM). */
async function peakRssDuring<T>(pid: number, work: () => Promise<T>): Promise<{ result: T; peak: number; hwm: number }> {
  let canReset = true;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, "5"); // resets VmHWM to the current RSS
  } catch {
    canReset = false;
  }
  let peak = procStatus(pid, "VmRSS");
  const timer = setInterval(() => (peak = Math.max(peak, procStatus(pid, "VmRSS"))), 20);
  try {
    const result = await work();
    peak = Math.max(peak, procStatus(pid, "VmRSS"));
    return { result, peak, hwm: canReset ? procStatus(pid, "VmHWM") : Number.NaN };
  } finally {
    clearInterval(timer);
  }
}

// ── the test file and the requests ──────────────────────────────────────────────────────────

/** A stored ZIP around `size` random bytes, written to `file` 1 MiB at a time (never whole in memory). */
async function writeZip(file: string, size: number): Promise<void> {
  // The CRC goes in the header, before the data: generate from a seed twice, the same bytes.
  const seed = randomBytes(MiB);
  const pieces = function* () {
    for (let offset = 0, i = 0; offset < size; offset += MiB, i++) {
      const piece = Buffer.from(seed.subarray(0, Math.min(MiB, size - offset)));
      piece.writeUInt32LE(i, 0); // no two pieces alike
      yield piece;
    }
  };
  let crc = 0;
  for (const piece of pieces()) crc = crc32(piece, crc);
  const out = createWriteStream(file);
  for (const chunk of zipStoredStream("data.bin", size, crc, pieces())) {
    if (!out.write(chunk)) await new Promise<void>((r) => out.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => out.end((e?: Error | null) => (e ? reject(e) : resolve())));
}

async function readAndHash(file: string): Promise<{ ms: number; sha256: string }> {
  const started = performance.now();
  const hash = createHash("sha256");
  for await (const chunk of createReadStream(file, { highWaterMark: MiB })) hash.update(chunk as Buffer);
  return { ms: performance.now() - started, sha256: hash.digest("hex") };
}

function uploadFile(port: number, token: string, file: string, fileName: string): Promise<{ ms: number; status: number; body: string }> {
  const head = Buffer.concat([fieldPart("evidenceItemId", "filled-questionnaire"), fileHeader(fileName)]);
  const tail = Buffer.concat([Buffer.from("\r\n"), closing()]);
  const length = head.length + statSync(file).size + tail.length;
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const req = http.request(
      { host: "127.0.0.1", port, method: "POST", path: `/api/r/${token}/attachments`, headers: { "content-type": MULTIPART_CONTENT_TYPE, "content-length": String(length) } },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (body += d));
        res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode!, body }));
      },
    );
    req.on("error", reject);
    req.write(head);
    const source = createReadStream(file, { highWaterMark: MiB });
    source.on("data", (chunk) => {
      if (!req.write(chunk)) {
        source.pause();
        req.once("drain", () => source.resume());
      }
    });
    source.on("end", () => req.end(tail));
    source.on("error", reject);
  });
}

function download(port: number, urlPath: string): Promise<{ ms: number; status: number; bytes: number; sha256: string }> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    http
      .get({ host: "127.0.0.1", port, path: urlPath }, (res) => {
        const hash = createHash("sha256");
        let bytes = 0;
        res.on("data", (c: Buffer) => {
          bytes += c.length;
          hash.update(c);
        });
        res.on("end", () => resolve({ ms: performance.now() - started, status: res.statusCode!, bytes, sha256: hash.digest("hex") }));
      })
      .on("error", reject);
  });
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-bench-"));
  const port = await freePort();
  say(`Starting Assay (production build, embedded Postgres in ${dataDir})…`);
  const app = spawn(path.join(ROOT, "node_modules", ".bin", "tsx"), ["--conditions=react-server", "scripts/start.ts"], {
    cwd: ROOT,
    env: {
      ...process.env,
      ...{ ASSAY_ENV: "", DATABASE_URL: "", NEXTAUTH_URL: "", NEXTAUTH_SECRET: "", OIDC_ISSUER: "", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "" },
      PORT: String(port),
      ASSAY_DATA_DIR: dataDir,
      LOG_LEVEL: "warn",
      // Room for the bench file (lib/env.ts reads these; see docs/decisions/007-attachment-storage.md).
      ATTACHMENT_MAX_BYTES: String(2 * SIZE + MiB),
      ATTACHMENT_AUDIT_MAX_BYTES: String(10 * SIZE),
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  app.stdout.on("data", (d) => (output += d));
  app.stderr.on("data", (d) => (output += d));
  const stop = async () => {
    if (app.exitCode === null) {
      app.kill("SIGINT");
      await new Promise((r) => app.once("exit", r));
    }
    rmSync(dataDir, { recursive: true, force: true });
  };
  process.on("SIGINT", () => void stop().then(() => process.exit(130)));

  try {
    const deadline = Date.now() + 300_000;
    while (!output.includes("Assay is ready at")) {
      if (app.exitCode !== null || Date.now() > deadline) throw new Error(`Assay did not start:\n${output}`);
      await new Promise((r) => setTimeout(r, 200));
    }
    const serverPid = findWebServer(app.pid!);

    // An audit and an invite link, straight into the database the server uses.
    const { user, password } = JSON.parse(readFileSync(path.join(dataDir, "postgres", "credentials.json"), "utf8")) as { user: string; password: string };
    const pgPort = readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3];
    const db = new pg.Client({ connectionString: `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/assay` });
    db.on("error", () => {}); // the server's Postgres stops with the app, after this client is done
    await db.connect();
    const userId = randomUUID();
    await db.query(`INSERT INTO "user" (id, issuer, subject, email, name, roles) VALUES ($1::uuid, 'urn:bench', $1::text, 'bench@example.test', 'Bench', '{OFFICER}')`, [userId]);
    const { rows } = await db.query<{ id: string }>(`SELECT id FROM questionnaire_version WHERE slug = 'infrastructure-provider' ORDER BY version DESC LIMIT 1`);
    const newInvite = async () => {
      const auditId = randomUUID();
      await db.query(`INSERT INTO audit (id, provider_name, questionnaire_version_id, scope, created_by_id) VALUES ($1, 'Bench Cloud', $2, '{}', $3)`, [auditId, rows[0]!.id, userId]);
      const { token, tokenHash } = generateToken();
      await db.query(
        `INSERT INTO invite (id, audit_id, token_hash, name, email, sections, expires_at, created_by_id) VALUES ($1, $2, $3, 'Bench', 'bench@provider.test', '{}', now() + interval '1 day', $4)`,
        [randomUUID(), auditId, tokenHash, userId],
      );
      return token;
    };

    const file = path.join(dataDir, "bench.zip");
    await writeZip(file, SIZE);
    const fileSize = statSync(file).size;
    say(`Test file: ${(fileSize / MB).toFixed(1)} MB stored ZIP of random bytes.`);

    // Warm-up: the first requests load the routes' code.
    const warm = path.join(dataDir, "warm.zip");
    await writeZip(warm, 5 * MB);
    for (let i = 0; i < 3; i++) {
      const r = await uploadFile(port, await newInvite(), warm, "warm.zip");
      if (r.status !== 201) throw new Error(`warm-up upload failed: HTTP ${r.status} ${r.body}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
    const idle = procStatus(serverPid, "VmRSS");

    await readAndHash(file); // into the page cache, like the upload's read
    const hashes = [];
    for (let i = 0; i < RUNS; i++) hashes.push(await readAndHash(file));
    const hashMs = Math.min(...hashes.map((h) => h.ms));

    const runs: { ms: number; peak: number; hwm: number }[] = [];
    let lastId = "";
    let lastToken = "";
    for (let i = 0; i < RUNS; i++) {
      const token = await newInvite();
      const { result, peak, hwm } = await peakRssDuring(serverPid, () => uploadFile(port, token, file, "bench.zip"));
      if (result.status !== 201) {
        if (result.status === 413) say("The server refused the file as too large: lib/env.ts must parse ATTACHMENT_MAX_BYTES (docs/decisions/007-attachment-storage.md).");
        throw new Error(`upload failed: HTTP ${result.status} ${result.body}`);
      }
      const { data } = JSON.parse(result.body) as { data: { id: string; sha256: string; size: number } };
      if (data.sha256 !== hashes[0]!.sha256 || data.size !== fileSize) throw new Error("the stored file differs from the one sent");
      runs.push({ ms: result.ms, peak, hwm });
      lastId = data.id;
      lastToken = token;
      say(`upload ${i + 1}: ${(result.ms / 1000).toFixed(2)} s, ${(fileSize / MB / (result.ms / 1000)).toFixed(0)} MB/s, server peak RSS ${(peak / MiB).toFixed(0)} MiB (VmHWM ${(hwm / MiB).toFixed(0)} MiB)`);
    }
    const down = await peakRssDuring(serverPid, () => download(port, `/api/r/${lastToken}/attachments/${lastId}`));
    if (down.result.status !== 200 || down.result.sha256 !== hashes[0]!.sha256) throw new Error(`download failed or differs: HTTP ${down.result.status}`);
    await db.end();

    const best = Math.min(...runs.map((r) => r.ms));
    const median = [...runs.map((r) => r.ms)].sort((a, b) => a - b)[Math.floor(runs.length / 2)]!;
    const peak = Math.max(...runs.map((r) => Math.max(r.peak, Number.isNaN(r.hwm) ? 0 : r.hwm)));
    const target = 1.5 * idle + 64 * MiB;
    const mib = (b: number) => `${(b / MiB).toFixed(0)} MiB`;
    say("");
    say(`file                     ${(fileSize / MB).toFixed(1)} MB`);
    say(`read + SHA-256 here      ${(hashMs / 1000).toFixed(2)} s (${(fileSize / MB / (hashMs / 1000)).toFixed(0)} MB/s)`);
    say(`upload (best / median)   ${(best / 1000).toFixed(2)} s / ${(median / 1000).toFixed(2)} s (${(fileSize / MB / (median / 1000)).toFixed(0)} MB/s)`);
    say(`ratio upload / hash      ${(median / hashMs).toFixed(1)}× (median)`);
    say(`download                 ${(down.result.ms / 1000).toFixed(2)} s, server peak RSS ${mib(Math.max(down.peak, Number.isNaN(down.hwm) ? 0 : down.hwm))}`);
    say(`server RSS idle          ${mib(idle)}`);
    say(`server RSS peak upload   ${mib(peak)} (+${mib(peak - idle)})`);
    say(`target ≤ 1.5×idle+64 MB  ${mib(target)}: ${peak <= target ? "within" : "OVER"}`);
  } catch (e) {
    process.stderr.write(`[bench] server output:\n${output}\n`);
    throw e;
  } finally {
    await stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`[bench] ${e instanceof Error ? e.message : String(e)}\n`);
  process.exit(1);
});
