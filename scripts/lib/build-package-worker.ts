import path from "node:path";
import { build } from "esbuild";
import { PACKAGE_WORKER_BUNDLE } from "@/lib/evidence/worker/run-package-worker";

// The package worker (lib/evidence/worker/package-worker.ts) runs as plain Node in production:
// our TypeScript bundled into one file, the packages it uses (pdfkit, fontkit, pg, node-forge …)
// loaded from node_modules as they are (pdfkit reads its data files next to its own code).
// Built by ensureBuild with every `next build`, into .next/, so that a build and its worker
// always match. esbuild comes with tsx, already our TypeScript runner; it takes well under a second.

export async function buildPackageWorker(root = process.cwd()): Promise<string> {
  const outfile = path.join(root, PACKAGE_WORKER_BUNDLE);
  await build({
    entryPoints: [path.join(root, "lib", "evidence", "worker", "package-worker.ts")],
    outfile,
    bundle: true,
    packages: "external",
    platform: "node",
    format: "esm",
    target: "node22",
    conditions: ["react-server"],
    tsconfig: path.join(root, "tsconfig.json"),
    sourcemap: "linked",
    logLevel: "warning",
  });
  return outfile;
}
