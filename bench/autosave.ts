// `tsx --conditions=react-server bench/autosave.ts` (npm run bench:autosave): how fast a
// provider's autosave (PUT /api/r/<token>/answers/<questionId>) goes through the production
// server — lib/server/web-server.ts, where serve-autosave.ts answers it in front of Next.js
// (docs/decisions/012) — measured as the issue asks:
//
//   production build (if needed) → scripts/start.ts with its own embedded Postgres in a temp
//   dir → respondents set up through the domain code in this process (an officer, one audit
//   and one invite link per respondent, each answering its own text questions of the tech
//   section) → warm-up → the phases below → Ctrl+C to the server's process group.
//
//   human rate  50 respondents each saving once a second for 30 s, open loop
//   knee        100, 200, 300 … saves/s (that many respondents, once a second each), 10 s a
//               step, until p95 > 100 ms or errors appear; if even 100/s misses p95 ≤ 50 ms,
//               one more step halfway between the human rate and it
//   capacity    after a short warm-up of this process, 3 rounds of: 50 clients saving
//               back-to-back over HTTP, then the same saves (same rows, same transaction)
//               through saveAnswer here, without HTTP. The ratio is the median of the rounds'
//               ratios: alternating keeps a slow spell of this shared machine (its VM reports
//               no steal time) from landing on one side only. For comparison, once each: the
//               route's two calls (requireInvite + saveAnswer) without HTTP, and the same 50
//               clients on GET /api/health (a Next route handler with one SELECT 1), what
//               Next itself serves per second when the route costs next to nothing
//
// Each phase also shows the CPU used by the web server, Postgres and this process (from /proc),
// as % of one core and as CPU seconds per 1000 saves.
//
// Open loop: each save is due at a fixed time whatever the server does, and its latency runs
// from that time (so a slow server is not hidden by the client waiting: no coordinated
// omission). Like the browser's autosave (components/questionnaire/use-answer-sync.ts), a
// respondent has one save in flight at a time; a save that falls due while the previous one is
// still running is sent when it returns, and its wait counts in its latency. Every respondent
// keeps the revision the server last acknowledged and sends it as baseRevision, so a 409 is a
// real conflict (counted apart from errors). After each phase every answer is read back from
// the database and compared with the last value its respondent got acknowledged: a difference
// is a lost update.
//
// Figures only, no assertions: this machine's 2 cores are shared by the load generator, Next
// and Postgres (and whatever else runs), so timings are noisy; the "others" column says how
// much CPU other processes took during each phase. Exits non-zero only when the setup (or the
// cleanup) fails.
//
// Env: BENCH_HUMAN_S (30), BENCH_STEP_S (10), BENCH_WARMUP_S (10), BENCH_CAPACITY_S (10, a
// comparison phase; a round's HTTP and direct phases take half of it each),
// BENCH_KNEE_RATES ("100,200,300,400,500,700,1000"), BENCH_QUESTIONS (questions per respondent, 3),
// BENCH_SERVER_LOG (a file that gets everything the server prints, e.g. with
// NODE_OPTIONS=--trace-gc to see V8's pauses).

import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { createWriteStream, existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { ensureBuild } from "../scripts/lib/ensure-build";
import { freePort } from "../scripts/lib/free-port";

const ROOT = process.cwd();
const num = (name: string, fallback: number) => {
  const v = Number(process.env[name] ?? fallback);
  return Number.isFinite(v) && v > 0 ? v : fallback;
};
const HUMAN_S = num("BENCH_HUMAN_S", 30);
const STEP_S = num("BENCH_STEP_S", 10);
const WARMUP_S = num("BENCH_WARMUP_S", 10);
const CAPACITY_S = num("BENCH_CAPACITY_S", 10);
const CAPACITY_ROUNDS = 3;
const QUESTIONS = Math.min(6, Math.round(num("BENCH_QUESTIONS", 3)));
const KNEE_RATES = (process.env.BENCH_KNEE_RATES ?? "100,200,300,400,500,700,1000")
  .split(",")
  .map(Number)
  .filter((n) => Number.isFinite(n) && n > 0 && n <= 2000)
  .slice(0, 10);
const HUMAN = { respondents: 50, perSecond: 1 };
const CAPACITY_CLIENTS = 50;
const WARMUP_RATE = 60;
const KNEE_STOP_P95_MS = 100;
/** The web server's command line: node …/.next/assay/web-server.mjs (scripts/start.ts). */
const WEB_SERVER = /web-server\.mjs/;
const KNEE_P95_MS = 50;
const TARGETS = { humanP95: 25, humanP99: 100, kneeRate: 300, capacityRatio: 0.5 };

const REQUEST_TIMEOUT_MS = 10_000;
/** After an open-loop phase's last due time: how long saves still waiting may be sent. */
const DRAIN_MS = 10_000;
const MAX_SAVES_PER_CLIENT = 100_000;
const WATCHDOG_MS = 8 * 60_000;

/** The temp data dir could not be removed: the run fails (exit 1) even if it measured. */
let cleanupFailed = false;
const say = (line: string) => process.stdout.write(`[bench] ${line}\n`);
const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

// ── CPU from /proc ──────────────────────────────────────────────────────────────────────────

const CLK_TCK = (() => {
  try {
    return Number(execFileSync("getconf", ["CLK_TCK"], { encoding: "utf8" }).trim()) || 100;
  } catch {
    return 100;
  }
})();

interface TProc {
  pid: number;
  ppid: number;
  comm: string;
  /** utime + stime, in ticks. */
  ticks: number;
  /** cutime + cstime: children that exited and were waited for. */
  childTicks: number;
}

function processTable(): Map<number, TProc> {
  const table = new Map<number, TProc>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      table.set(Number(entry), {
        pid: Number(entry),
        ppid: Number(f[1]),
        comm,
        ticks: Number(f[11]) + Number(f[12]),
        childTicks: Number(f[13]) + Number(f[14]),
      });
    } catch {
      // gone meanwhile
    }
  }
  return table;
}

function descendants(table: Map<number, TProc>, root: number): TProc[] {
  const children = new Map<number, TProc[]>();
  for (const p of table.values()) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
  const out: TProc[] = [];
  const walk = (pid: number) => (children.get(pid) ?? []).forEach((c) => (out.push(c), walk(c.pid)));
  walk(root);
  return out;
}

function cmdline(pid: number): string {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
  } catch {
    return "";
  }
}

/** Busy and total ticks of the whole machine (all cores), from /proc/stat. */
function machineTicks(): { busy: number; total: number } {
  const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
  const total = f.reduce((a, b) => a + b, 0);
  const idle = (f[3] ?? 0) + (f[4] ?? 0); // idle + iowait
  return { busy: total - idle, total };
}

interface TCpuSnap {
  at: number;
  next: number;
  postgres: number;
  bench: number;
  machineBusy: number;
  machineTotal: number;
}

/**
 * CPU seconds so far of the web server (the process below the start script that runs
 * web-server.mjs; Next.js runs in it), of Postgres (every postgres process below it, plus what the postmaster's exited
 * children used) and of this process.
 */
function cpuSnapshot(rootPid: number): TCpuSnap {
  const table = processTable();
  let next = 0;
  let postgres = 0;
  for (const p of descendants(table, rootPid)) {
    if (p.comm === "postgres") {
      postgres += p.ticks;
      if (table.get(p.ppid)?.comm !== "postgres") postgres += p.childTicks; // the postmaster
    } else if (WEB_SERVER.test(cmdline(p.pid))) {
      next += p.ticks;
    }
  }
  const usage = process.cpuUsage();
  const m = machineTicks();
  return {
    at: performance.now(),
    next: next / CLK_TCK,
    postgres: postgres / CLK_TCK,
    bench: (usage.user + usage.system) / 1e6,
    machineBusy: m.busy / CLK_TCK,
    machineTotal: m.total / CLK_TCK,
  };
}

interface TCpuDelta {
  wallS: number;
  next: number;
  postgres: number;
  bench: number;
  machineBusyPct: number;
  cores: number;
}

function cpuDelta(a: TCpuSnap, b: TCpuSnap): TCpuDelta {
  const wallS = (b.at - a.at) / 1000;
  const cores = os.cpus().length;
  return {
    wallS,
    next: b.next - a.next,
    postgres: b.postgres - a.postgres,
    bench: b.bench - a.bench,
    machineBusyPct: (100 * (b.machineBusy - a.machineBusy)) / Math.max(1e-9, b.machineTotal - a.machineTotal) * cores,
    cores,
  };
}

// ── respondents and their saves ─────────────────────────────────────────────────────────────

interface TSlot {
  auditId: string;
  questionId: string;
  /** The revision the server last acknowledged (0: no answer yet). */
  revision: number;
  /** The value the server last acknowledged (or reported as current in a 409). */
  acked: string | null;
  /** Values sent whose outcome is unknown (network error, 5xx): they may have landed. */
  unknown: Set<string>;
}

interface TRespondent {
  index: number;
  token: string;
  auditId: string;
  invite: import("@/lib/invites/resolve-invite").TInviteContext;
  slots: TSlot[];
  turn: number;
  edits: number;
}

type TOutcome = ({ kind: "ok" } | { kind: "conflict" } | { kind: "error"; why: string }) & { retried?: boolean };
type TSend = (r: TRespondent) => Promise<TOutcome>;

const FILLER =
  "We run three availability zones in two regions; every zone has its own power feed, cooling and network uplinks, and customers choose zones per project through one API.";

/** The respondent's next edit: the next of its questions in turn, with a value never sent before. */
function nextEdit(r: TRespondent): { slot: TSlot; value: string } {
  const slot = r.slots[r.turn++ % r.slots.length]!;
  r.edits++;
  return { slot, value: `[r${r.index} e${r.edits}] ${FILLER}` };
}

type TSavedLike = { revision: number; value: unknown } | null | undefined;

/** What the answer is after a response: acknowledged, current (409), or unknown. */
function settle(slot: TSlot, value: string, outcome: "ok" | "conflict" | "refused" | "unknown", answer?: TSavedLike): void {
  if (outcome === "ok" && answer) {
    slot.revision = answer.revision;
    slot.acked = value;
    slot.unknown.clear(); // an older unknown save cannot be the current value any more
  } else if (outcome === "conflict") {
    slot.revision = answer?.revision ?? 0;
    slot.acked = typeof answer?.value === "string" ? answer.value : null;
  } else if (outcome === "unknown") {
    slot.unknown.add(value);
  }
}

/**
 * One PUT. Like a browser, a request that fails on a reused keep-alive connection before any
 * response (the server closed it as it idled) is sent once more on another connection; the
 * phase counts these retries, and the retry's time is part of the save's latency.
 */
async function put(agent: http.Agent, port: number, urlPath: string, body: string): Promise<{ status: number; body: string; retried: boolean }> {
  try {
    return { ...(await putOnce(agent, port, urlPath, body)), retried: false };
  } catch (e) {
    if (!(e as { reusedSocket?: boolean }).reusedSocket || !["ECONNRESET", "EPIPE"].includes((e as { code?: string }).code ?? "")) throw e;
    return { ...(await putOnce(agent, port, urlPath, body)), retried: true };
  }
}

function putOnce(agent: http.Agent, port: number, urlPath: string, body: string | null): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    let responded = false;
    const req = http.request(
      {
        host: "127.0.0.1",
        port,
        method: body === null ? "GET" : "PUT",
        path: urlPath,
        agent,
        headers: body === null ? {} : { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)) },
      },
      (res) => {
        responded = true;
        let text = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => (text += d));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
        res.on("error", reject);
      },
    );
    req.setTimeout(REQUEST_TIMEOUT_MS, () => req.destroy(new Error("timeout")));
    req.on("error", (e) => reject(Object.assign(e, { reusedSocket: req.reusedSocket && !responded })));
    req.end(body ?? undefined);
  });
}

/**
 * Next's floor: GET /api/health, a Next route handler that runs one `SELECT 1` through the same
 * Prisma client — what Next serves per second when the route does next to nothing.
 */
function healthSend(port: number, agents: Map<number, http.Agent>): TSend {
  return async (r) => {
    let agent = agents.get(r.index);
    if (!agent) agents.set(r.index, (agent = new http.Agent({ keepAlive: true, maxSockets: 1 })));
    try {
      const res = await putOnce(agent, port, "/api/health", null);
      return res.status === 200 ? { kind: "ok" } : { kind: "error", why: `HTTP ${res.status}` };
    } catch (e) {
      return { kind: "error", why: (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e)) };
    }
  };
}

/** Saves over HTTP; each respondent on its own keep-alive connection, like a browser tab. */
function httpSend(port: number, agents: Map<number, http.Agent>): TSend {
  return async (r) => {
    const { slot, value } = nextEdit(r);
    let agent = agents.get(r.index);
    if (!agent) agents.set(r.index, (agent = new http.Agent({ keepAlive: true, maxSockets: 1 })));
    let res: { status: number; body: string; retried: boolean };
    try {
      res = await put(agent, port, `/api/r/${r.token}/answers/${encodeURIComponent(slot.questionId)}`, JSON.stringify({ value, baseRevision: slot.revision }));
    } catch (e) {
      settle(slot, value, "unknown");
      return { kind: "error", why: (e as { code?: string }).code ?? (e instanceof Error ? e.message : String(e)) };
    }
    type TBody = { data?: TSavedLike; error?: { code?: string; details?: { current?: TSavedLike } } };
    let json: TBody | null = null;
    try {
      json = JSON.parse(res.body) as TBody;
    } catch {
      // not JSON: an error below
    }
    const retried = res.retried;
    if (res.status === 200 && json?.data) {
      settle(slot, value, "ok", json.data);
      return { kind: "ok", retried };
    }
    if (res.status === 409) {
      settle(slot, value, "conflict", json?.error?.details?.current);
      return { kind: "conflict", retried };
    }
    settle(slot, value, res.status >= 500 || res.status === 0 ? "unknown" : "refused");
    return { kind: "error", why: `HTTP ${res.status}${json?.error?.code ? ` ${json.error.code}` : ""}`, retried };
  };
}

// ── phases ──────────────────────────────────────────────────────────────────────────────────

interface TPhase {
  name: string;
  offered?: number;
  clients: number;
  sent: number;
  ok: number;
  conflicts: number;
  errors: number;
  errorKinds: Map<string, number>;
  /** Requests sent again after a reused keep-alive connection failed before any response. */
  retried: number;
  /** Due saves never sent: still waiting DRAIN_MS after the phase's end. */
  dropped: number;
  latencies: number[];
  elapsedS: number;
  cpu?: TCpuDelta;
  lost?: TLostReport;
}

function newPhase(name: string, clients: number, offered?: number): TPhase {
  return { name, offered, clients, sent: 0, ok: 0, conflicts: 0, errors: 0, errorKinds: new Map(), retried: 0, dropped: 0, latencies: [], elapsedS: 0 };
}

function record(p: TPhase, o: TOutcome, ms: number) {
  p.sent++;
  p.latencies.push(ms);
  if (o.retried) p.retried++;
  if (o.kind === "ok") p.ok++;
  else if (o.kind === "conflict") p.conflicts++;
  else {
    p.errors++;
    p.errorKinds.set(o.why, (p.errorKinds.get(o.why) ?? 0) + 1);
  }
}

/**
 * `rate` saves a second spread evenly over `respondents` (each at rate/n a second), due at fixed
 * times for `seconds`; a respondent sends its next save when it is due or, if its previous one
 * is still running, as soon as that returns. Latency: from the due time to the response.
 */
async function openLoop(name: string, rate: number, seconds: number, respondents: TRespondent[], send: TSend, rootPid: number): Promise<TPhase> {
  const p = newPhase(name, respondents.length, rate);
  const periodMs = (respondents.length / rate) * 1000;
  const before = cpuSnapshot(rootPid);
  const t0 = performance.now() + 20;
  const end = t0 + seconds * 1000;
  const giveUp = end + DRAIN_MS;
  await Promise.all(
    respondents.map(async (r, i) => {
      for (let k = 0; k < MAX_SAVES_PER_CLIENT; k++) {
        const due = t0 + (i * 1000) / rate + k * periodMs;
        if (due >= end) break;
        if (performance.now() > giveUp) {
          p.dropped += Math.ceil((end - due) / periodMs);
          break;
        }
        const wait = due - performance.now();
        if (wait > 0) await sleep(wait);
        const o = await send(r);
        record(p, o, performance.now() - due);
      }
    }),
  );
  p.cpu = cpuDelta(before, cpuSnapshot(rootPid));
  p.elapsedS = p.cpu.wallS;
  return p;
}

/** Each respondent saves back-to-back for `seconds`. Latency: from send to response. */
async function closedLoop(name: string, seconds: number, respondents: TRespondent[], send: TSend, rootPid: number): Promise<TPhase> {
  const p = newPhase(name, respondents.length);
  const before = cpuSnapshot(rootPid);
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    respondents.map(async (r) => {
      for (let k = 0; k < MAX_SAVES_PER_CLIENT && performance.now() < end; k++) {
        const started = performance.now();
        const o = await send(r);
        record(p, o, performance.now() - started);
      }
    }),
  );
  p.cpu = cpuDelta(before, cpuSnapshot(rootPid));
  p.elapsedS = p.cpu.wallS;
  return p;
}

function percentile(sorted: number[], q: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!;
}

function summary(p: TPhase) {
  const sorted = [...p.latencies].sort((a, b) => a - b);
  return {
    p50: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    max: sorted.at(-1) ?? Number.NaN,
    okPerS: p.ok / Math.max(1e-9, p.elapsedS),
  };
}

// ── lost updates ────────────────────────────────────────────────────────────────────────────

interface TLostReport {
  checked: number;
  lost: number;
  /** The database holds a value whose save got no answer (error/timeout): not lost, not acknowledged. */
  landedUnacknowledged: number;
  examples: string[];
}

type TDb = ReturnType<typeof import("@/lib/db").getDb>;

async function checkLost(db: TDb, respondents: TRespondent[]): Promise<TLostReport> {
  const rows = await db.answer.findMany({
    where: { auditId: { in: respondents.map((r) => r.auditId) } },
    select: { auditId: true, questionId: true, value: true, revision: true },
  });
  const byKey = new Map(rows.map((row) => [`${row.auditId} ${row.questionId}`, row]));
  const report: TLostReport = { checked: 0, lost: 0, landedUnacknowledged: 0, examples: [] };
  for (const r of respondents) {
    for (const slot of r.slots) {
      report.checked++;
      const row = byKey.get(`${slot.auditId} ${slot.questionId}`);
      const value = typeof row?.value === "string" ? row.value : null;
      if (value === slot.acked && (row?.revision ?? 0) === slot.revision) continue;
      if (value !== null && slot.unknown.has(value)) {
        report.landedUnacknowledged++;
        continue;
      }
      report.lost++;
      if (report.examples.length < 3) {
        report.examples.push(`r${r.index} ${slot.questionId}: acknowledged rev ${slot.revision} "${(slot.acked ?? "null").slice(0, 12)}…", database rev ${row?.revision ?? "-"} "${(value ?? "null").slice(0, 12)}…"`);
      }
    }
  }
  return report;
}

// ── output ──────────────────────────────────────────────────────────────────────────────────

const ms = (v: number) => (Number.isNaN(v) ? "-" : v >= 100 ? v.toFixed(0) : v.toFixed(1));
const pad = (s: string | number, n: number) => String(s).padStart(n);

function printTable(title: string, phases: TPhase[]) {
  say("");
  say(title);
  say(`  ${"phase".padEnd(26)}${pad("offered/s", 10)}${pad("ok/s", 8)}${pad("sent", 7)}${pad("409", 5)}${pad("err", 5)}${pad("drop", 5)}${pad("lost", 5)}${pad("p50", 8)}${pad("p95", 8)}${pad("p99", 8)}${pad("max", 8)}  ms`);
  for (const p of phases) {
    const s = summary(p);
    say(
      `  ${p.name.padEnd(26)}${pad(p.offered ?? "closed", 10)}${pad(s.okPerS.toFixed(0), 8)}${pad(p.sent, 7)}${pad(p.conflicts, 5)}${pad(p.errors, 5)}${pad(p.dropped, 5)}${pad(p.lost ? p.lost.lost : "-", 5)}${pad(ms(s.p50), 8)}${pad(ms(s.p95), 8)}${pad(ms(s.p99), 8)}${pad(ms(s.max), 8)}`,
    );
  }
  say(`  ${"CPU".padEnd(26)}${pad("web server", 18)}${pad("postgres", 18)}${pad("bench (client)", 18)}${pad("machine busy", 16)}${pad("others", 8)}`);
  for (const p of phases) {
    if (!p.cpu) continue;
    const c = p.cpu;
    const cell = (s: number) => `${pad(((100 * s) / c.wallS).toFixed(0), 4)}% ${pad(p.ok ? ((1000 * s) / p.ok).toFixed(2) : "-", 6)} s`;
    const others = c.machineBusyPct - (100 * (c.next + c.postgres + c.bench)) / c.wallS;
    say(`  ${p.name.padEnd(26)}${pad(cell(c.next), 18)}${pad(cell(c.postgres), 18)}${pad(cell(c.bench), 18)}${pad(`${c.machineBusyPct.toFixed(0)}% of ${c.cores * 100}%`, 16)}${pad(`${Math.max(0, others).toFixed(0)}%`, 8)}`);
  }
  say("  (CPU: % of one core during the phase, and CPU seconds per 1000 successful saves. Machine busy: every process and");
  say("  the kernel; others: what is not the web server, postgres or this process — another job on the machine skews the figures)");
  for (const p of phases) {
    if (p.retried > 0) say(`  ${p.name}: ${p.retried} request(s) sent again after a reused keep-alive connection was closed under them (not errors; their latency includes the retry)`);
    if (p.errorKinds.size > 0) say(`  ${p.name}: errors ${[...p.errorKinds].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    if (p.lost && p.lost.landedUnacknowledged > 0) say(`  ${p.name}: ${p.lost.landedUnacknowledged} answer(s) hold a value whose save got no response (not counted as lost)`);
    for (const ex of p.lost?.examples ?? []) say(`  ${p.name}: lost: ${ex}`);
  }
}

// ── main ────────────────────────────────────────────────────────────────────────────────────

async function main() {
  const benchStarted = performance.now();
  // Like `npm start`/`npm run`: the project's Node (node_modules/.bin/node) first on PATH, for
  // the build and the server this script starts.
  const bin = path.join(ROOT, "node_modules", ".bin");
  if (!(process.env.PATH ?? "").split(path.delimiter).includes(bin)) process.env.PATH = `${bin}${path.delimiter}${process.env.PATH ?? ""}`;

  const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-bench-"));
  let app: ChildProcess | undefined;
  let output = "";
  let db: TDb | undefined;
  let stopping: Promise<void> | undefined;
  let postmasterPid = 0;
  const stop = () =>
    (stopping ??= (async () => {
      await db?.$disconnect().catch(() => {});
      if (app && app.exitCode === null && app.signalCode === null) {
        const exited = new Promise<boolean>((r) => app!.once("exit", () => r(true)));
        try {
          process.kill(-app.pid!, "SIGINT"); // its process group: the start script, next, postgres
        } catch {
          // already gone
        }
        if (!(await Promise.race([exited, sleep(20_000).then(() => false)]))) {
          say("The server did not stop within 20 s of Ctrl+C: killing its process group.");
          try {
            process.kill(-app.pid!, "SIGKILL");
          } catch {
            // already gone
          }
        }
      }
      // Postgres may still be finishing its shutdown when the start script is gone: wait for it
      // (15 s at most), so that it writes nothing into the data dir while it is being removed.
      const alive = (pid: number) => {
        try {
          process.kill(pid, 0);
          return true;
        } catch (e) {
          return (e as { code?: string }).code === "EPERM";
        }
      };
      for (let i = 0; i < 150 && postmasterPid > 0 && alive(postmasterPid); i++) await sleep(100);
      if (postmasterPid > 0 && alive(postmasterPid)) {
        say(`Postgres (pid ${postmasterPid}) still runs 15 s after the server stopped: killing it.`);
        try {
          process.kill(postmasterPid, "SIGKILL");
        } catch {
          // gone meanwhile
        }
        await sleep(500);
      }
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
    await ensureBuild(say);
    const port = await freePort();
    say(`Starting Assay (production build, embedded Postgres in ${dataDir})…`);
    app = spawn(path.join(bin, "tsx"), ["--conditions=react-server", "scripts/start.ts"], {
      cwd: ROOT,
      detached: true, // its own process group, stopped as a whole
      env: {
        ...process.env,
        ...{ ASSAY_ENV: "", DATABASE_URL: "", NEXTAUTH_URL: "", NEXTAUTH_SECRET: "", OIDC_ISSUER: "", OIDC_CLIENT_ID: "", OIDC_CLIENT_SECRET: "", SMTP_URL: "", MAIL_FROM: "", TRUST_PROXY: "" },
        PORT: String(port),
        ASSAY_DATA_DIR: dataDir,
        LOG_LEVEL: "warn",
        NEXT_TELEMETRY_DISABLED: "1",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const serverLog = process.env.BENCH_SERVER_LOG ? createWriteStream(process.env.BENCH_SERVER_LOG) : undefined;
    const keep = (d: Buffer) => {
      serverLog?.write(d);
      output = (output + d.toString()).slice(-32_000);
    };
    app.stdout!.on("data", keep);
    app.stderr!.on("data", keep);
    const deadline = Date.now() + 180_000;
    while (!output.includes("Assay is ready at")) {
      if (app.exitCode !== null || Date.now() > deadline) throw new Error("Assay did not start");
      await sleep(200);
    }
    const rootPid = app.pid!;
    const table = processTable();
    const nextPids = descendants(table, rootPid).filter((p) => p.comm !== "postgres" && WEB_SERVER.test(cmdline(p.pid)));
    if (nextPids.length === 0) throw new Error("no web server process (web-server.mjs) found below the start script");

    // This process works on the server's database through the domain code: DATABASE_URL first,
    // then the modules that read it (lib/env parses process.env once, on first use).
    const { user, password } = JSON.parse(readFileSync(path.join(dataDir, "postgres", "credentials.json"), "utf8")) as { user: string; password: string };
    const postmaster = readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n");
    postmasterPid = Number(postmaster[0]);
    const pgPort = postmaster[3]!.trim();
    Object.assign(process.env, { DATABASE_URL: `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${pgPort}/assay`, ASSAY_ENV: "", LOG_LEVEL: "warn", SMTP_URL: "", MAIL_FROM: "" });
    const { getDb } = await import("@/lib/db");
    const { createAudit } = await import("@/lib/audits/create-audit");
    const { createInvite } = await import("@/lib/invites/create-invite");
    const { requireInvite } = await import("@/lib/invites/require-invite");
    const { saveAnswer } = await import("@/lib/answers/save-answer");
    const { inviteActor } = await import("@/lib/auth/actor");
    const { isAppError } = await import("@/lib/errors");
    const { getQuestionnaireVersion } = await import("@/lib/questionnaires/get-questionnaire-version");
    const { createUser, infrastructureQuestionnaireId } = await import("../tests/factories");
    db = getDb();

    // ── setup: one audit and one invite per respondent ──
    const setupStarted = performance.now();
    const officer = await createUser(["OFFICER"], "Bench Officer");
    const questionnaireVersionId = await infrastructureQuestionnaireId();
    const { definition } = await getQuestionnaireVersion(questionnaireVersionId);
    // Top-level text questions of the tech section: always shown (hidden follow-ups are refused to providers).
    const questionIds = (definition.sections.find((s) => s.id === "tech")?.groups ?? [])
      .flatMap((g) => g.questions)
      .filter((q) => q.type === "text" || q.type === "long_text")
      .map((q) => q.id)
      .slice(0, QUESTIONS);
    if (questionIds.length === 0) throw new Error("no text questions in the tech section of the questionnaire");
    const respondents: TRespondent[] = [];
    const inParallel = async <T>(items: T[], width: number, work: (item: T) => Promise<void>) => {
      let next = 0;
      await Promise.all(
        Array.from({ length: width }, async () => {
          while (next < items.length) await work(items[next++]!);
        }),
      );
    };

    // The same save without HTTP: saveAnswer with the invite resolved once (as the issue asks),
    // and the route's own two calls (requireInvite, then saveAnswer) for comparison.
    const directSend =
      (withInviteLookup: boolean): TSend =>
      async (r) => {
        const { slot, value } = nextEdit(r);
        try {
          const invite = withInviteLookup ? await requireInvite({ token: r.token, need: "answer", clientKey: "shared" }) : r.invite;
          const saved = await saveAnswer({ actor: inviteActor(invite), input: { auditId: r.auditId, questionId: slot.questionId, value, note: null, baseRevision: slot.revision } });
          settle(slot, value, "ok", saved);
          return { kind: "ok" };
        } catch (e) {
          if (isAppError(e) && e.code === "CONFLICT") {
            settle(slot, value, "conflict", (e.details as { current?: TSavedLike } | undefined)?.current);
            return { kind: "conflict" };
          }
          settle(slot, value, isAppError(e) ? "refused" : "unknown");
          return { kind: "error", why: isAppError(e) ? e.code : e instanceof Error ? e.message.slice(0, 80) : String(e) };
        }
      };

    /**
     * The first `n` respondents, created when first needed (the knee's later steps need up to
     * 500, and may never run): audit, invite, and every question's first answer (an INSERT),
     * so that the phases measure autosave's steady state, updates of an existing answer.
     */
    const ensureRespondents = async (n: number): Promise<TRespondent[]> => {
      const fresh = [...Array(Math.max(0, n - respondents.length)).keys()].map((k) => respondents.length + k);
      await inParallel(fresh, 8, async (index) => {
        const audit = await createAudit({ actor: officer, input: { questionnaireVersionId, providerName: `Bench Provider ${index}`, scope: {} } });
        const issued = await createInvite({ actor: officer, input: { auditId: audit.id, name: `Respondent ${index}`, email: `respondent-${index}@provider.test`, sections: ["tech"] }, mailer: null });
        const invite = await requireInvite({ token: issued.token, need: "answer", clientKey: null });
        const r: TRespondent = {
          index,
          token: issued.token,
          auditId: audit.id,
          invite,
          slots: questionIds.map((questionId) => ({ auditId: audit.id, questionId, revision: 0, acked: null, unknown: new Set<string>() })),
          turn: 0,
          edits: 0,
        };
        for (const _ of r.slots) {
          const o = await directSend(false)(r);
          if (o.kind !== "ok") throw new Error(`setup: a first answer could not be saved (${o.kind === "error" ? o.why : o.kind})`);
        }
        respondents[index] = r;
      });
      return respondents.slice(0, n);
    };
    await ensureRespondents(Math.max(HUMAN.respondents, CAPACITY_CLIENTS, WARMUP_RATE));
    say(`Setup: ${respondents.length} respondents (one audit and invite each, ${questionIds.length} questions: ${questionIds.join(", ")}), first answers saved, in ${((performance.now() - setupStarted) / 1000).toFixed(1)} s.`);

    // ── facts about this run ──
    const dbSource = readFileSync(path.join(ROOT, "lib", "db.ts"), "utf8");
    const poolMax = /new pg\.Pool\(\{[^}]*\bmax:\s*(\d+)/.exec(dbSource)?.[1] ?? "(default)";
    const serverNode = (() => {
      try {
        return execFileSync(readlinkSync(`/proc/${nextPids.at(-1)!.pid}/exe`), ["--version"], { encoding: "utf8" }).trim();
      } catch {
        return "?";
      }
    })();
    const version = (pkg: string) => {
      const file = path.join(ROOT, "node_modules", pkg, "package.json");
      return existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as { version: string }).version : "?";
    };
    const pgSettings = await db.$queryRawUnsafe<{ name: string; setting: string }[]>(
      `SELECT name, setting FROM pg_settings WHERE name IN ('server_version', 'max_connections', 'shared_buffers', 'synchronous_commit', 'fsync', 'wal_sync_method') ORDER BY name`,
    );
    say(`Server: Node ${serverNode}, Next ${version("next")}, Prisma client ${version("@prisma/client")} + adapter-pg ${version("@prisma/adapter-pg")}; this process: Node ${process.version}.`);
    say(`Prisma pool: max ${poolMax} connections per process (lib/db.ts) — the server's, and this process's for the direct runs.`);
    say(`Postgres: ${pgSettings.map((s) => `${s.name}=${s.setting}`).join(", ")}.`);
    say(`Machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(1)).join(" ")} before the warm-up.`);

    const phases: TPhase[] = [];
    const httpPhase = async (run: (send: TSend) => Promise<TPhase>, group: TRespondent[]) => {
      const agents = new Map<number, http.Agent>();
      try {
        const p = await run(httpSend(port, agents));
        p.lost = await checkLost(db!, group);
        return p;
      } finally {
        for (const agent of agents.values()) agent.destroy();
      }
    };

    // ── warm-up ──
    const warmGroup = respondents.slice(0, WARMUP_RATE);
    const warm = await httpPhase((send) => openLoop("warm-up", WARMUP_RATE, WARMUP_S, warmGroup, send, rootPid), warmGroup);
    if (warm.ok === 0) throw new Error(`no save succeeded during the warm-up: ${[...warm.errorKinds].map(([k, n]) => `${k} ×${n}`).join(", ")}`);
    printTable(`Warm-up (${WARMUP_S} s at ${WARMUP_RATE} saves/s; not counted)`, [warm]);
    await sleep(1000);

    // ── human rate ──
    const humanGroup = respondents.slice(0, HUMAN.respondents);
    const human = await httpPhase(
      (send) => openLoop(`human ${HUMAN.respondents}×${HUMAN.perSecond}/s`, HUMAN.respondents * HUMAN.perSecond, HUMAN_S, humanGroup, send, rootPid),
      humanGroup,
    );
    phases.push(human);
    printTable(`Human rate: ${HUMAN.respondents} respondents saving once a second for ${HUMAN_S} s (open loop; latency from the due time)`, [human]);
    await sleep(1000);

    // ── knee ──
    const knee: TPhase[] = [];
    const kneeStep = async (rate: number, label = `knee ${rate}/s`) => {
      const group = await ensureRespondents(Math.max(1, Math.ceil(rate)));
      await sleep(500);
      const step = await httpPhase((send) => openLoop(label, rate, STEP_S, group, send, rootPid), group);
      knee.push(step);
      const s = summary(step);
      say(`${label}: p95 ${ms(s.p95)} ms, ${s.okPerS.toFixed(0)} ok/s, ${step.errors} errors`);
      return step;
    };
    const passes = (p: TPhase) => summary(p).p95 <= KNEE_P95_MS && p.errors === 0 && p.dropped === 0;
    for (const rate of KNEE_RATES) {
      const step = await kneeStep(rate);
      if (summary(step).p95 > KNEE_STOP_P95_MS || step.errors > 0 || step.dropped > 0) break;
      await sleep(1000);
    }
    // When even the first step misses, one step halfway down from it to the human rate says more
    // than "none".
    const humanRate = HUMAN.respondents * HUMAN.perSecond;
    if (knee.length > 0 && !passes(knee[0]!) && KNEE_RATES[0]! > humanRate * 1.2) {
      await sleep(1000);
      await kneeStep(Math.round((humanRate + KNEE_RATES[0]!) / 2), `knee ${Math.round((humanRate + KNEE_RATES[0]!) / 2)}/s (halfway)`);
    }
    knee.sort((a, b) => a.offered! - b.offered!);
    printTable(`Knee: ${STEP_S} s a step, one save a second per respondent (stops at p95 > ${KNEE_STOP_P95_MS} ms or errors)`, knee);
    await sleep(1000);

    // ── capacity ──
    const capGroup = respondents.slice(0, CAPACITY_CLIENTS);
    // This process has run few saves so far: warm its code paths first (not counted).
    await closedLoop("warm-up direct", Math.min(5, CAPACITY_S), capGroup, directSend(true), rootPid);
    await sleep(1000);
    const roundS = CAPACITY_S / 2;
    const rounds: { http: TPhase; direct: TPhase }[] = [];
    for (let i = 1; i <= CAPACITY_ROUNDS; i++) {
      const httpRound = await httpPhase((send) => closedLoop(`capacity HTTP #${i}`, roundS, capGroup, send, rootPid), capGroup);
      await sleep(500);
      const directRound = await closedLoop(`capacity saveAnswer #${i}`, roundS, capGroup, directSend(false), rootPid);
      directRound.lost = await checkLost(db, capGroup);
      rounds.push({ http: httpRound, direct: directRound });
      await sleep(500);
    }
    const capRoute = await closedLoop("capacity requireInv+save", CAPACITY_S, capGroup, directSend(true), rootPid);
    capRoute.lost = await checkLost(db, capGroup);
    await sleep(1000);
    const floorAgents = new Map<number, http.Agent>();
    const capFloor = await closedLoop("Next floor: GET /api/health", CAPACITY_S, capGroup, healthSend(port, floorAgents), rootPid).finally(() => {
      for (const agent of floorAgents.values()) agent.destroy();
    });
    const capRounds = rounds.flatMap((r) => [r.http, r.direct]);
    printTable(
      `Capacity: ${CAPACITY_CLIENTS} clients back-to-back; ${CAPACITY_ROUNDS} rounds of HTTP then direct, ${roundS} s each, then ${CAPACITY_S} s each for the comparisons (same respondents, rows and transaction; the direct runs in this process, no HTTP)`,
      [...capRounds, capRoute, capFloor],
    );

    // ── summary ──
    const h = summary(human);
    // The knee: the last step of the unbroken run of steps, from the first, that kept p95 ≤ 50 ms.
    // The knee: the highest rate of the unbroken run of passing rates from the lowest (the
    // human-rate phase counts as the 50/s point).
    const ladder = [human, ...knee].sort((a, b) => a.offered! - b.offered!);
    const firstMiss = ladder.findIndex((p) => !passes(p));
    const kneeOk = firstMiss === -1 ? ladder : ladder.slice(0, firstMiss);
    const kneeRate = kneeOk.at(-1)?.offered ?? 0;
    const kneeNext = firstMiss === -1 ? undefined : ladder[firstMiss]!.offered;
    const kneeText =
      kneeRate > 0
        ? `${firstMiss === -1 ? "≥ " : ""}${kneeRate} saves/s${kneeOk.at(-1) === human ? " (the human-rate phase)" : ""}${kneeNext ? `; ${kneeNext}/s missed` : ""}`
        : `none (< ${ladder[0]!.offered} saves/s)`;
    const median = (xs: number[]) => {
      const sorted = [...xs].sort((a, b) => a - b);
      const mid = Math.floor(sorted.length / 2);
      return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    };
    const httpRates = rounds.map((r) => summary(r.http).okPerS);
    const directRates = rounds.map((r) => summary(r.direct).okPerS);
    const ratios = rounds.map((_, i) => httpRates[i]! / directRates[i]!);
    const ratio = median(ratios);
    const httpRate = median(httpRates);
    const directRate = median(directRates);
    const routeRate = summary(capRoute).okPerS;
    const allPhases = [warm, ...phases, ...knee, ...capRounds, capRoute, capFloor];
    const lostTotal = allPhases.reduce((n, p) => n + (p.lost?.lost ?? 0), 0);
    const line = (text: string, met: boolean) => say(`  ${text.padEnd(92)} ${met ? "met" : "missed"}`);
    const othersPct = (p: TPhase) => (p.cpu ? Math.max(0, p.cpu.machineBusyPct - (100 * (p.cpu.next + p.cpu.postgres + p.cpu.bench)) / p.cpu.wallS) : 0);
    say("");
    say("Summary");
    line(`human rate: p95 ${ms(h.p95)} ms (target ≤ ${TARGETS.humanP95} ms)`, h.p95 <= TARGETS.humanP95);
    line(`human rate: p99 ${ms(h.p99)} ms (target ≤ ${TARGETS.humanP99} ms)`, h.p99 <= TARGETS.humanP99);
    line(`human rate: ${human.errors} errors, ${human.dropped} not sent (target 0); ${human.conflicts} conflicts (409)`, human.errors === 0 && human.dropped === 0);
    line(`human rate: ${human.lost?.lost ?? "?"} lost updates (target 0); all phases: ${lostTotal}`, human.lost?.lost === 0);
    line(`knee: highest offered rate with p95 ≤ ${KNEE_P95_MS} ms: ${kneeText} (target ≥ ${TARGETS.kneeRate})`, kneeRate >= TARGETS.kneeRate);
    line(`capacity: median of ${ratios.map((r) => r.toFixed(2)).join(", ")} (HTTP ÷ saveAnswer direct, round by round) = ${ratio.toFixed(2)}× (target ≥ ${TARGETS.capacityRatio}×)`, ratio >= TARGETS.capacityRatio);
    say(`  (HTTP ${httpRates.map((r) => r.toFixed(0)).join(", ")} saves/s; saveAnswer direct ${directRates.map((r) => r.toFixed(0)).join(", ")} saves/s)`);
    say(`  (requireInvite + saveAnswer direct — the route's two calls without HTTP: ${routeRate.toFixed(0)} saves/s; HTTP's median is ${(httpRate / routeRate).toFixed(2)}× that)`);
    const floorRate = summary(capFloor).okPerS;
    say(
      `  (Next's floor: it answers GET /api/health — a route handler with one SELECT 1 — ${floorRate.toFixed(0)}/s, ` +
        `${(floorRate / directRate).toFixed(2)}× saveAnswer direct; the save route reaches ${((100 * httpRate) / floorRate).toFixed(0)}% of it)`,
    );
    const busy = allPhases.filter((p) => othersPct(p) > 25);
    if (busy.length > 0) say(`  Other processes used > 25% of a core during: ${busy.map((p) => `${p.name} (${othersPct(p).toFixed(0)}%)`).join(", ")} — rerun on a quiet machine.`);
    say(`  Prisma pool max ${poolMax} per process; server Node ${serverNode}, Next ${version("next")}; the run took ${((performance.now() - benchStarted) / 1000).toFixed(0)} s.`);
  } catch (e) {
    process.stderr.write(`[bench] server output (last lines):\n${output.split("\n").slice(-40).join("\n")}\n`);
    throw e;
  } finally {
    clearTimeout(watchdog);
    await stop();
  }
}

main().then(
  () => process.exit(cleanupFailed ? 1 : 0),
  (e: unknown) => {
    process.stderr.write(`[bench] ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
