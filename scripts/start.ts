// `npm start`: everything Assay needs, in order, then the Next.js server.
//
//   configuration check → build if needed → database (DATABASE_URL, or the embedded Postgres
//   under .data/) → migrations → questionnaires → identity provider (yours, or the bundled demo
//   one) → the web server (Next.js behind lib/server/web-server.ts) → wait for /api/health →
//   print the URL and the demo sign-ins.
//
// This process stays alive as the parent of the web server: it owns the embedded Postgres and
// the demo identity provider, and stops them when the server stops or on Ctrl+C.
//
// `npm run dev` does the same with `next dev` instead of a production build.

import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { DEMO_USERS, startDevIdentityProvider } from "@/lib/auth/dev-idp";
import { OIDC_PROVIDER_ID } from "@/lib/auth/options";
import { EnvError, parseEnv } from "@/lib/env";
import { ensureDataDir, migrateAndLoadQuestionnaires, startDatabase } from "./lib/database";
import { WEB_SERVER_BUNDLE } from "./lib/build-bundles";
import { ensureBuild } from "./lib/ensure-build";

const dev = process.argv.includes("--dev");
const say = (line: string) => process.stdout.write(`[assay] ${line}\n`);
const cleanups: (() => Promise<void>)[] = [];
let server: ChildProcess | undefined;
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    if (server && server.exitCode === null) {
      server.kill("SIGTERM");
      await new Promise((r) => server!.once("exit", r));
    }
    for (const cleanup of cleanups.reverse()) await cleanup().catch(() => {});
  }
  process.exit(code);
}

process.on("SIGINT", () => void stopAll(130));
process.on("SIGTERM", () => void stopAll(143));

async function main() {
  const started = Date.now();
  let env;
  try {
    env = parseEnv(process.env);
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      process.exit(1);
    }
    throw e;
  }
  const demo = env.OIDC_ISSUER === undefined;
  const dataDir = ensureDataDir(env);
  const baseUrl = (env.NEXTAUTH_URL ?? `http://localhost:${env.PORT}`).replace(/\/$/, "");
  const childEnv: NodeJS.ProcessEnv = { ...process.env, NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: baseUrl, PORT: String(env.PORT) };

  if (!dev) await ensureBuild(say);

  // Database (scripts/lib/database.ts, shared with scripts/evidence-sample.ts).
  const db = await startDatabase({ env, dataDir, say });
  cleanups.push(() => db.stop());
  childEnv.DATABASE_URL = db.databaseUrl;
  await migrateAndLoadQuestionnaires({ databaseUrl: db.databaseUrl, questionnairesDir: env.QUESTIONNAIRES_DIR, say });

  // Identity provider. (Production has its own NEXTAUTH_SECRET: parseEnv insists.)
  childEnv.NEXTAUTH_SECRET = env.NEXTAUTH_SECRET ?? localSecret(dataDir);
  if (demo) {
    const idp = await startDevIdentityProvider({ redirectUri: `${baseUrl}/api/auth/callback/${OIDC_PROVIDER_ID}` });
    cleanups.push(() => idp.stop());
    Object.assign(childEnv, { OIDC_ISSUER: idp.issuer, OIDC_CLIENT_ID: idp.clientId, OIDC_CLIENT_SECRET: idp.clientSecret, ASSAY_DEMO: "1" });
  }

  // The web server: in production our own (lib/server/web-server.ts, from its bundle: Next.js
  // with the autosave answered in front of it, decision 012); in development `next dev`.
  const child = dev
    ? spawn(path.join(process.cwd(), "node_modules", ".bin", "next"), ["dev", "-p", String(env.PORT)], { stdio: "inherit", env: childEnv })
    : spawn(process.execPath, [path.join(process.cwd(), WEB_SERVER_BUNDLE)], { stdio: "inherit", env: { ...childEnv, NODE_ENV: "production" } });
  server = child;
  child.on("exit", (code) => {
    if (!stopping) {
      process.stderr.write(`[assay] The web server stopped (exit ${code ?? "signal"}).\n`);
      void stopAll(code ?? 1);
    }
  });

  await waitForHealth(`http://127.0.0.1:${env.PORT}/api/health`);
  say(`Assay is ready at ${baseUrl} (started in ${((Date.now() - started) / 1000).toFixed(1)} s).`);
  if (demo) {
    say("Demo mode: sign in through the bundled development identity provider, any password:");
    for (const u of DEMO_USERS) say(`  ${u.email.padEnd(24)} ${u.roleDescription}`);
  }
  say("Press Ctrl+C to stop.");
}

/** The session secret outside production: generated once, kept in the data dir (mode 0600), never printed. */
function localSecret(dataDir: string): string {
  const file = path.join(dataDir, "nextauth-secret");
  if (existsSync(file)) return readFileSync(file, "utf8").trim();
  const secret = randomBytes(32).toString("base64url");
  writeFileSync(file, secret, { mode: 0o600 });
  return secret;
}

async function waitForHealth(url: string, timeoutMs = 120_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (stopping) return;
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`The web server did not answer ${url} within ${timeoutMs / 1000} s`);
}

main().catch((e: unknown) => {
  process.stderr.write(`[assay] Start failed: ${e instanceof Error ? e.message : String(e)}\n`);
  void stopAll(1);
});
