import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import fs from "node:fs/promises";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { hydrateNativeSymlinks, startEmbeddedPostgres, type EmbeddedPostgres } from "@/lib/db/embedded-postgres";

// These tests run their own servers in their own temp dirs (not the run's shared one): they
// kill, restart and inspect them.

const LIB = path.resolve(import.meta.dirname, "../../lib/db/embedded-postgres.ts");
const tempDirs: string[] = [];
const servers: EmbeddedPostgres[] = [];

async function tempDir(): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "assay-embedded-pg-"));
  tempDirs.push(dir);
  return dir;
}

async function start(dataDir: string, options: { port?: number; log?: (m: string) => void } = {}): Promise<EmbeddedPostgres> {
  const server = await startEmbeddedPostgres({ dataDir, ...options });
  servers.push(server);
  return server;
}

async function query<T extends pg.QueryResultRow>(url: string, sql: string): Promise<T[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  // A killed process that nobody reaped yet is not running.
  return !/\) Z /.test(readFileSync(`/proc/${pid}/stat`, "utf8"));
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await fs.readFile(path.join(dataDir, "postmaster.pid"), "utf8")).split("\n")[0]);
}

afterAll(async () => {
  for (const server of servers) await server.stop();
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("startEmbeddedPostgres", () => {
  it("initialises with a random password kept in a 0600 file, and listens on 127.0.0.1 only", async () => {
    const dataDir = await tempDir();
    const logged: string[] = [];
    const server = await start(dataDir, { log: (m) => logged.push(m) });

    const credentialsFile = path.join(dataDir, "credentials.json");
    expect((await fs.stat(credentialsFile)).mode & 0o777).toBe(0o600);
    const { user, password } = JSON.parse(await fs.readFile(credentialsFile, "utf8")) as { user: string; password: string };
    expect(password.length).toBeGreaterThanOrEqual(24);
    expect(["password", "postgres", ""]).not.toContain(password);
    const url = new URL(server.databaseUrl);
    expect(decodeURIComponent(url.password)).toBe(password);
    expect(url.username).toBe(user);
    expect(logged.join("\n")).not.toContain(password);

    const [row] = await query<{ addr: string; listen: string; sockets: string; db: string }>(
      server.databaseUrl,
      `SELECT host(inet_server_addr()) AS addr, current_setting('listen_addresses') AS listen,
              current_setting('unix_socket_directories') AS sockets, current_database() AS db`,
    );
    expect(row).toEqual({ addr: "127.0.0.1", listen: "127.0.0.1", sockets: "", db: "assay" });

    // A wrong password is refused (scram-sha-256, not trust).
    const wrong = new URL(server.databaseUrl);
    wrong.password = "password";
    await expect(query(wrong.toString(), "SELECT 1")).rejects.toThrow(/password authentication failed/);

    // Stop twice is fine; a restart keeps the password and the data.
    await query(server.databaseUrl, "CREATE TABLE kept (id int)");
    await server.stop();
    await server.stop();
    const again = await start(dataDir);
    expect(decodeURIComponent(new URL(again.databaseUrl).password)).toBe(password);
    expect(await query(again.databaseUrl, "SELECT to_regclass('kept') IS NOT NULL AS kept")).toEqual([{ kept: true }]);
    await again.stop();
  });

  it("recovers when the process that started the server was SIGKILLed", async () => {
    const dataDir = await tempDir();
    // A separate Node process starts the server, then dies without stopping it: Postgres outlives it.
    const code = `
      import { startEmbeddedPostgres } from ${JSON.stringify(pathToFileURL(LIB).href)};
      import pg from "pg";
      const db = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(dataDir)} });
      const client = new pg.Client({ connectionString: db.databaseUrl });
      await client.connect();
      await client.query("CREATE TABLE survived (id int)");
      console.log("READY");
      setInterval(() => {}, 1 << 30);
    `;
    const child = spawn(
      process.execPath,
      ["--conditions=react-server", "--disable-warning=MODULE_TYPELESS_PACKAGE_JSON", "--input-type=module", "-e", code],
      { cwd: path.dirname(LIB), stdio: ["ignore", "pipe", "inherit"] },
    );
    await new Promise<void>((resolve, reject) => {
      child.stdout.on("data", (chunk: Buffer) => chunk.toString().includes("READY") && resolve());
      child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
    });
    const stale = await postmasterPid(dataDir);
    const exited = new Promise((resolve) => child.on("exit", resolve));
    child.kill("SIGKILL");
    await exited;
    expect(isAlive(stale)).toBe(true); // the leftover a crash produces

    const logged: string[] = [];
    const server = await start(dataDir, { log: (m) => logged.push(m) });
    expect(logged.join("\n")).toMatch(`Stopping a Postgres server (pid ${stale}) left running`);
    expect(isAlive(stale)).toBe(false);
    expect(await postmasterPid(dataDir)).not.toBe(stale);
    expect(await query(server.databaseUrl, "SELECT to_regclass('survived') IS NOT NULL AS survived")).toEqual([{ survived: true }]);
    await server.stop();
    await expect(fs.stat(path.join(dataDir, "postmaster.pid"))).rejects.toThrow();
  });

  it("attaches to the server when the process that started it is still alive", async () => {
    const dataDir = await tempDir();
    const first = await start(dataDir);
    const second = await start(dataDir);
    expect(second.port).toBe(first.port);
    const pid = await postmasterPid(dataDir);
    await second.stop(); // not its server: a no-op
    expect(await query(first.databaseUrl, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    expect(await postmasterPid(dataDir)).toBe(pid);
    await first.stop();
  });

  it("says so when the port is in use", async () => {
    const dataDir = await tempDir();
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, "127.0.0.1", resolve));
    const { port } = blocker.address() as net.AddressInfo;
    try {
      await expect(start(dataDir, { port })).rejects.toThrow(`Postgres cannot listen on 127.0.0.1:${port}: the port is in use.`);
    } finally {
      blocker.close();
    }
    // Nothing is left running, and the next start works.
    const server = await start(dataDir);
    expect(await query(server.databaseUrl, "SELECT 1 AS one")).toEqual([{ one: 1 }]);
    await server.stop();
  });

  it("recreates the native libraries' symlinks when the package's postinstall did not run", async () => {
    const pkg = await tempDir();
    await fs.mkdir(path.join(pkg, "native/lib"), { recursive: true });
    await fs.writeFile(path.join(pkg, "native/lib/libpq.so.5.18"), "");
    const links = [
      { source: "native/lib/libpq.so.5.18", target: "native/lib/libpq.so.5" },
      { source: "native/lib/libpq.so.5.18", target: "native/lib/libpq.so" },
    ];
    await fs.writeFile(path.join(pkg, "native/pg-symlinks.json"), JSON.stringify(links));

    await hydrateNativeSymlinks(pkg);
    await hydrateNativeSymlinks(pkg); // idempotent
    for (const { target } of links) {
      expect(await fs.readlink(path.join(pkg, target))).toBe("libpq.so.5.18"); // relative, as the package's own script makes them
    }
  });
});
