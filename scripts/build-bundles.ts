// `npm run build` bundles the package worker and the web server after `next build` (npm start
// does all of it itself, through scripts/lib/ensure-build.ts).
import path from "node:path";
import { buildBundles } from "./lib/build-bundles";

buildBundles().then(
  (files) => process.stdout.write(`Bundles: ${files.map((f) => path.relative(process.cwd(), f)).join(", ")}\n`),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  },
);
