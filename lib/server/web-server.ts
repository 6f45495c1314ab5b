// The production web server of `npm start` (decision 012): Next.js in a node:http server of our
// own, which answers the provider's autosave itself (serve-autosave.ts) and hands every other
// request to Next, as `next start` would.
//
// Run as plain Node from its bundle, .next/assay/web-server.mjs (scripts/lib/build-bundles.ts),
// with NODE_ENV=production; scripts/start.ts starts it. `next dev` and a plain `next start` still
// serve everything, the autosave included, through app/api/r/[token]/answers/[questionId].

import http from "node:http";
import next from "next";
import { EnvError, getEnv } from "@/lib/env";
import { serveAutosave } from "./serve-autosave";

async function main(): Promise<void> {
  const env = getEnv();
  const app = next({ dev: false, dir: process.cwd(), port: env.PORT });
  const handle = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    if (serveAutosave(req, res)) return;
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, () => resolve());
  });
  process.stdout.write(`Web server listening on port ${env.PORT} (Next.js, with the autosave served in front of it).\n`);

  // Like `next start`: stop on SIGTERM or Ctrl+C. No new connections; requests in flight get up
  // to 2 s to finish (an autosave that is cut off is retried by the browser).
  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    setTimeout(() => process.exit(0), 2_000).unref();
    server.close(() => void app.close().finally(() => process.exit(0)));
    server.closeIdleConnections();
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof EnvError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exit(1);
});
