// `npm run build` bundles the package worker after `next build` (npm start does both itself,
// through scripts/lib/ensure-build.ts).
import path from "node:path";
import { buildPackageWorker } from "./lib/build-package-worker";

buildPackageWorker().then(
  (file) => process.stdout.write(`Package worker: ${path.relative(process.cwd(), file)}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
