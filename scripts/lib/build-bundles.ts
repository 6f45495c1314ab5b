import path from "node:path";
import { build, type BuildOptions, type Plugin } from "esbuild";
import { PACKAGE_WORKER_BUNDLE } from "@/lib/evidence/worker/run-package-worker";

// Two entry points run as plain Node in production, outside Next's own bundles:
// - the package worker (lib/evidence/worker/package-worker.ts, decision 011), a child process
//   per evidence package;
// - the web server of `npm start` (lib/server/web-server.ts, decision 012), Next.js behind a
//   node:http server that answers the autosave itself.
// Each is our TypeScript bundled into one file, the packages it uses (pdfkit, pg, next …) loaded
// from node_modules as they are. Built by ensureBuild with every `next build`, into .next/, so
// that a build and its bundles always match. esbuild comes with tsx; both take about a second.

/** The web server's bundle, relative to the project root. */
export const WEB_SERVER_BUNDLE = path.join(".next", "assay", "web-server.mjs");

/**
 * `server-only` throws unless imported under the react-server condition. The worker runs with
 * that condition; the web server cannot (Next renders pages with the ordinary React in the same
 * process), so its bundle gets an empty module instead.
 */
const serverOnlyIsEmpty: Plugin = {
  name: "server-only-is-empty",
  setup(b) {
    b.onResolve({ filter: /^server-only$/ }, () => ({ path: "server-only", namespace: "empty" }));
    b.onLoad({ filter: /.*/, namespace: "empty" }, () => ({ contents: "", loader: "js" }));
  },
};

function options(root: string, entry: string[], outfile: string): BuildOptions {
  return {
    entryPoints: [path.join(root, ...entry)],
    outfile: path.join(root, outfile),
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: "linked",
    logLevel: "warning",
  };
}

/** Builds both bundles; returns their paths. */
export async function buildBundles(root = process.cwd()): Promise<string[]> {
  await Promise.all([
    build({ ...options(root, ["lib", "evidence", "worker", "package-worker.ts"], PACKAGE_WORKER_BUNDLE), conditions: ["react-server"] }),
    build({ ...options(root, ["lib", "server", "web-server.ts"], WEB_SERVER_BUNDLE), plugins: [serverOnlyIsEmpty] }),
  ]);
  return [PACKAGE_WORKER_BUNDLE, WEB_SERVER_BUNDLE].map((f) => path.join(root, f));
}
