import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { WEB_SERVER_BUNDLE } from "../../scripts/lib/build-bundles";
import { ensureBuild } from "../../scripts/lib/ensure-build";
import { freePort } from "../../scripts/lib/free-port";

// The app as `npm start` runs it: the real start script, the production build, its own
// embedded Postgres and demo identity provider. Slow-ish (a few seconds), so kept to the
// behaviour only a whole start can show.

const ROOT = process.cwd();
const TSX = path.join(ROOT, "node_modules", ".bin", "tsx");
// Nothing from the developer's environment may leak in: these tests choose every variable.
const CLEAN = {
  ASSAY_ENV: "",
  DATABASE_URL: "",
  NEXTAUTH_SECRET: "",
  NEXTAUTH_URL: "",
  OIDC_ISSUER: "",
  OIDC_CLIENT_ID: "",
  OIDC_CLIENT_SECRET: "",
};

function run(cmd: string, args: string[], env: Record<string, string>, { detached = false } = {}) {
  const child = spawn(cmd, args, { cwd: ROOT, detached, env: { ...process.env, ...CLEAN, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d) => (output += d));
  child.stderr.on("data", (d) => (output += d));
  const exited = new Promise<number | null>((resolve) => child.on("exit", (code) => resolve(code)));
  return { child, exited, output: () => output };
}

/** Starts the app like `npm start` and waits until it says it is ready. */
async function startApp(env: Record<string, string>, options: { detached?: boolean } = {}) {
  const app = run(TSX, ["--conditions=react-server", "scripts/start.ts"], { LOG_LEVEL: "warn", ...env }, options);
  const deadline = Date.now() + 90_000;
  // The last line the start prints once ready (after the URL and the demo sign-ins, which can
  // arrive in a later chunk of the pipe than the "ready" line).
  while (!app.output().includes("Press Ctrl+C to stop.") && Date.now() < deadline) {
    if (app.child.exitCode !== null) throw new Error(`start exited early:\n${app.output()}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return app;
}

describe("production refuses insecure defaults", () => {
  beforeAll(async () => {
    await ensureBuild(() => {});
  }, 240_000);

  it("npm start with ASSAY_ENV=production and nothing set exits non-zero naming each variable", async () => {
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-start-"));
    const r = run(TSX, ["--conditions=react-server", "scripts/start.ts"], { ASSAY_ENV: "production", ASSAY_DATA_DIR: dataDir });
    expect(await r.exited).toBe(1);
    for (const name of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "NEXTAUTH_SECRET", "NEXTAUTH_URL", "DATABASE_URL"]) {
      expect(r.output()).toContain(`${name} is required when ASSAY_ENV=production`);
    }
    // Refused before anything started: no database was created.
    expect(existsSync(path.join(dataDir, "postgres"))).toBe(false);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("refuses a production configuration that only lacks NEXTAUTH_SECRET, and names it alone", async () => {
    const r = run(TSX, ["--conditions=react-server", "scripts/start.ts"], {
      ASSAY_ENV: "production",
      OIDC_ISSUER: "https://idp.example.com",
      OIDC_CLIENT_ID: "assay",
      OIDC_CLIENT_SECRET: "secret",
      NEXTAUTH_URL: "https://assay.example.com",
      DATABASE_URL: "postgresql://assay:pw@127.0.0.1:1/assay",
    });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain("NEXTAUTH_SECRET is required");
    expect(r.output()).not.toContain("OIDC_ISSUER is required");
  });

  it("`next start` run directly (as in a container) refuses the same way", async () => {
    const port = await freePort();
    const r = run(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port)], { ASSAY_ENV: "production" });
    expect(await r.exited).not.toBe(0);
    expect(r.output()).toContain("OIDC_ISSUER is required when ASSAY_ENV=production");
  }, 60_000);

  it("the web server's bundle run directly refuses the same way, before it listens", async () => {
    const port = await freePort();
    const r = run(process.execPath, [path.join(ROOT, WEB_SERVER_BUNDLE)], { ASSAY_ENV: "production", NODE_ENV: "production", PORT: String(port) });
    expect(await r.exited).toBe(1);
    expect(r.output()).toContain("OIDC_ISSUER is required when ASSAY_ENV=production");
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  }, 60_000);
});

describe("npm start in demo mode", () => {
  let app: ReturnType<typeof run>;
  let port: number;
  let dataDir: string;

  beforeAll(async () => {
    await ensureBuild(() => {});
    port = await freePort();
    dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-start-"));
    app = await startApp({ PORT: String(port), ASSAY_DATA_DIR: dataDir });
  }, 240_000);

  afterAll(async () => {
    if (app.child.exitCode === null) {
      app.child.kill("SIGINT");
      await app.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it("serves the app on PORT, prints the URL and the demo sign-ins, keeps secrets out of the output", async () => {
    expect(app.output()).toContain(`Assay is ready at http://localhost:${port}`);
    expect(app.output()).toContain("officer@example.test");
    expect(app.output()).toContain("reviewer@example.test");
    expect(app.output()).toContain("admin@example.test");
    const secret = readFileSync(path.join(dataDir, "nextauth-secret"), "utf8").trim();
    const credentials = JSON.parse(readFileSync(path.join(dataDir, "postgres", "credentials.json"), "utf8")) as { password: string };
    expect(app.output()).not.toContain(secret);
    expect(app.output()).not.toContain(credentials.password);
    const signin = await fetch(`http://127.0.0.1:${port}/signin`);
    expect(signin.status).toBe(200);
    expect(await signin.text()).toContain("Demo mode.");
  });

  it("health says ok while the database answers, 503 db down when it does not; Ctrl+C stops everything", async () => {
    const health = await fetch(`http://127.0.0.1:${port}/api/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: "ok", db: "ok" });

    // Stop Postgres behind the app's back.
    const postmasterPid = Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);
    process.kill(postmasterPid, "SIGINT");
    let down: Response | undefined;
    for (let i = 0; i < 50; i++) {
      down = await fetch(`http://127.0.0.1:${port}/api/health`);
      if (down.status === 503) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(down?.status).toBe(503);
    expect(await down?.json()).toEqual({ status: "degraded", db: "down" });

    app.child.kill("SIGINT");
    expect(await app.exited).not.toBeNull();
    await expect(fetch(`http://127.0.0.1:${port}/api/health`)).rejects.toThrow();
  }, 60_000);
});

describe("npm start after a crash", () => {
  it("cleans up the Postgres a killed start left running, and the data is still there", async () => {
    await ensureBuild(() => {});
    const dataDir = mkdtempSync(path.join(os.tmpdir(), "assay-start-"));
    // Its own process group, so that the whole group can be killed like a closed terminal.
    const start = async () => {
      const port = await freePort();
      return { port, ...(await startApp({ PORT: String(port), ASSAY_DATA_DIR: dataDir }, { detached: true })) };
    };
    const databaseUrl = () => {
      const { user, password } = JSON.parse(readFileSync(path.join(dataDir, "postgres", "credentials.json"), "utf8")) as { user: string; password: string };
      const port = readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[3];
      return `postgresql://${user}:${encodeURIComponent(password)}@127.0.0.1:${port}/assay`;
    };

    const first = await start();
    const { Client } = await import("pg");
    let client = new Client({ connectionString: databaseUrl() });
    await client.connect();
    await client.query(`INSERT INTO "user" (id, issuer, subject, roles) VALUES (gen_random_uuid(), 'urn:test', 'survivor', '{}')`);
    await client.end();
    const stalePostmaster = Number(readFileSync(path.join(dataDir, "postgres", "postmaster.pid"), "utf8").split("\n")[0]);

    process.kill(-first.child.pid!, "SIGKILL");
    await new Promise((r) => setTimeout(r, 500));
    expect(() => process.kill(stalePostmaster, 0)).not.toThrow(); // left running by the crash

    const second = await start();
    try {
      expect(second.output()).toContain("Database schema is up to date.");
      expect((await fetch(`http://127.0.0.1:${second.port}/api/health`)).status).toBe(200);
      expect(() => process.kill(stalePostmaster, 0)).toThrow(); // the stale server is gone
      client = new Client({ connectionString: databaseUrl() });
      await client.connect();
      const { rowCount } = await client.query(`SELECT 1 FROM "user" WHERE subject = 'survivor'`);
      await client.end();
      expect(rowCount).toBe(1);
    } finally {
      process.kill(-second.child.pid!, "SIGINT");
      await second.exited;
      rmSync(dataDir, { recursive: true, force: true });
    }
  }, 240_000);
});
