import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import http from "node:http";
import path from "node:path";
import { ensureBuild } from "../../scripts/lib/ensure-build";
import { WEB_SERVER_BUNDLE } from "../../scripts/lib/build-bundles";
import { freePort } from "../../scripts/lib/free-port";

// The production web server as `npm start` runs it (the bundle of lib/server/web-server.ts:
// Next.js with the autosave answered in front of it), on this run's database, for the tests
// that need what only the real server shows.

/** The server's session secret, to mint session cookies (next-auth/jwt encode) as after a sign-in. */
export const SERVER_SECRET = randomBytes(32).toString("base64url");

export interface TProductionServer {
  port: number;
  /** Everything the server printed so far. */
  output: () => string;
  stop: () => Promise<void>;
}

/** Builds if needed, starts the server and waits until /api/health answers (60 s at most). */
export async function startProductionServer(): Promise<TProductionServer> {
  const root = process.cwd();
  await ensureBuild(() => {});
  const port = await freePort();
  const server: ChildProcess = spawn(process.execPath, [path.join(root, WEB_SERVER_BUNDLE)], {
    cwd: root,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ASSAY_ENV: "test",
      LOG_LEVEL: "warn",
      PORT: String(port),
      DATABASE_URL: process.env.DATABASE_URL,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: SERVER_SECRET,
      // Never contacted: sessions are minted with the secret, as after a sign-in.
      OIDC_ISSUER: "http://127.0.0.1:9/",
      OIDC_CLIENT_ID: "assay-test",
      OIDC_CLIENT_SECRET: "assay-test-secret",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  const stop = async () => {
    if (server.exitCode === null && server.signalCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      server.kill("SIGTERM");
      await exited;
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`the web server exited:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the web server did not become healthy:\n${output}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  return { port, output: () => output, stop };
}

export interface TRawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/** A raw HTTP request, so that the body can be streamed (chunked), cut off or withheld. */
export function rawRequest(
  port: number,
  method: string,
  urlPath: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: (req: http.ClientRequest) => void } = {},
): Promise<TRawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    // The server may answer (413) and close before the body is sent: that is the point.
    req.on("error", (e) => (e.message.includes("EPIPE") || e.message.includes("ECONNRESET") ? undefined : reject(e)));
    if (body) body(req);
    else req.end();
  });
}
