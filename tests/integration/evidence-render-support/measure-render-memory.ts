import { createReadStream, statSync } from "node:fs";
import path from "node:path";
import { renderEvidencePdf } from "@/lib/evidence/render/render-evidence-pdf";
import type { TPackageAttachment } from "@/lib/evidence/render/package-data";
import { buildSamplePackage } from "./sample-package";

// Run in a fresh process by evidence-render.test.ts (`node --expose-gc --import tsx …`), so that
// the RSS figures are the renderer's and not those of the tests before it. Renders the sample
// package plus the files named on the command line (written beforehand by the test), read from
// disk in 1 MiB chunks as storage would hand them over; prints one JSON line.

interface TFileArg {
  path: string;
  sha256: string;
  mediaType: string;
}

async function main() {
  const [outPath, filesJson] = process.argv.slice(2);
  const files = JSON.parse(filesJson ?? "[]") as TFileArg[];
  const MiB = 1024 * 1024;
  const { data } = buildSamplePackage();
  const attachments: TPackageAttachment[] = [
    ...data.attachments,
    ...files.map((f, i) => ({
      id: `00000000-0000-4000-8000-0000000000b${i}`,
      fileName: path.basename(f.path),
      mediaType: f.mediaType,
      size: statSync(f.path).size,
      sha256: f.sha256,
      uploadedBy: "Pat Provider",
      uploadedAt: "2026-11-20T12:00:00.000Z",
      questionId: null,
      evidenceItemId: "certificates",
      certificate: null,
      open: () => createReadStream(f.path, { highWaterMark: MiB }),
    })),
  ];
  globalThis.gc?.();
  const before = process.memoryUsage.rss();
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 5);
  const started = performance.now();
  const result = await renderEvidencePdf({ data: { ...data, attachments }, outPath: outPath! });
  const ms = Math.round(performance.now() - started);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage.rss());
  const mb = (n: number) => Math.round(n / MiB);
  console.log(
    JSON.stringify({
      ms,
      pages: result.pages,
      pdfMb: mb(result.bytes),
      rssBeforeMb: mb(before),
      peakRssMb: mb(peak),
      processMaxRssMb: mb(process.resourceUsage().maxRSS * 1024),
    }),
  );
}

void main();
