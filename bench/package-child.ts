// One measured operation of bench/package.ts, run in a fresh process so that its peak resident
// memory (process.resourceUsage().maxRSS, read at the end) is that operation's own:
//
//   idle                           loads the same modules and touches the database, nothing more:
//                                  the baseline the others are compared with
//   generate <auditId> <out.pdf>   what the issuing job does to make the file, with the job's own
//                                  function (generateEvidencePackage): the data read in this
//                                  process, the rendering and signing in the package worker (a
//                                  child process of this one, whose peak is reported apart)
//   issue <packageId>              issueEvidencePackage itself: the above, then stored as chunk
//                                  rows in Postgres and marked READY
//   zip <auditId> <out>            the baseline: each attachment of the audit streamed from the
//                                  same store through CRC-32 and deflate level 6 into one file —
//                                  what zipping them costs (the ZIP headers, ~100 bytes a file,
//                                  are left out: negligible)
//
// Prints one line `RESULT {json}` on stdout. Exit code non-zero on any failure.
//
// Run by bench/package.ts as `node --conditions=react-server --import tsx bench/package-child.ts …`
// with DATABASE_URL and ASSAY_DATA_DIR of the bench's temporary database.

import { open, rm } from "node:fs/promises";
import { constants as zlibConstants, crc32, createDeflate } from "node:zlib";
import { pipeline } from "node:stream/promises";
import { getAttachmentStore } from "@/lib/attachments/storage";
import { getDb } from "@/lib/db";
import { generateEvidencePackage } from "@/lib/evidence/generate-evidence-package";
import { issueEvidencePackage } from "@/lib/evidence/issue-evidence-package";

export interface TChildResult {
  mode: string;
  /** Wall time of the operation itself (not the process start or the module loading). */
  ms: number;
  /** CPU time (user + system) of this process during the operation: less sensitive to a busy machine than `ms`. */
  cpuMs: number;
  /** Peak resident set size of this process, in bytes. */
  maxRss: number;
  /** generate: peak resident set size of the package worker, the process that renders and signs, in bytes. */
  workerMaxRss?: number;
  /** generate: CPU time of the package worker. */
  workerCpuMs?: number;
  /** generate: the signed file; zip: the deflated output. */
  bytes?: number;
  /** generate: pages of the package. */
  pages?: number;
  /** zip: bytes read from the store. */
  inputBytes?: number;
  attachments?: number;
}

type TMeasured = Omit<TChildResult, "mode" | "maxRss" | "cpuMs">;

async function generate(auditId: string, outPath: string): Promise<TMeasured> {
  const started = performance.now();
  // What issueEvidencePackage does, minus the row's bookkeeping (claim, progress, store): the
  // data read here, the rendering and signing in the package worker, a process of its own.
  const result = await generateEvidencePackage({ auditId, version: 1, issuedBy: "Bench Reviewer", issuedAt: new Date(), includeInternalNotes: false, outPath });
  return { ms: performance.now() - started, bytes: result.size, pages: result.pages, workerMaxRss: result.maxRss, workerCpuMs: result.cpuMs };
}

async function issue(packageId: string): Promise<TMeasured> {
  const started = performance.now();
  const outcome = await issueEvidencePackage({ packageId });
  const ms = performance.now() - started;
  const row = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId }, select: { state: true, error: true, size: true } });
  if (outcome !== "issued" || row.state !== "READY") throw new Error(`the package was not issued (${outcome}, ${row.state}): ${row.error ?? "no error recorded"}`);
  return { ms, bytes: Number(row.size) };
}

async function zip(auditId: string, outPath: string): Promise<TMeasured> {
  const started = performance.now();
  const attachments = await getDb().attachment.findMany({ where: { auditId }, orderBy: { createdAt: "asc" }, select: { id: true, size: true } });
  const out = await open(outPath, "w");
  let inputBytes = 0;
  let bytes = 0;
  const crcs: number[] = [];
  try {
    for (const a of attachments) {
      let crc = 0;
      // The same store and the same reads as the package's renderer (loadPackageData's open()).
      const source = getAttachmentStore().get(a.id, Number(a.size)) as unknown as AsyncIterable<Uint8Array>;
      await pipeline(
        source,
        async function* (chunks: AsyncIterable<Uint8Array>) {
          for await (const chunk of chunks) {
            crc = crc32(chunk, crc);
            inputBytes += chunk.length;
            yield chunk;
          }
        },
        createDeflate({ level: zlibConstants.Z_DEFAULT_COMPRESSION }),
        async (deflated: AsyncIterable<Buffer>) => {
          for await (const chunk of deflated) {
            await out.write(chunk);
            bytes += chunk.length;
          }
        },
      );
      crcs.push(crc); // what a ZIP writes in the entry's header
    }
  } finally {
    await out.close();
  }
  return { ms: performance.now() - started, bytes, inputBytes, attachments: attachments.length };
}

async function main(): Promise<void> {
  const [mode, a, b] = process.argv.slice(2);
  // Every mode first opens the database connection and runs one model query (which starts
  // Prisma's query compiler): a server has done that long before it issues a package, and the
  // operations below are timed without it. Idle stops here.
  const started = performance.now();
  await getDb().user.findFirst({ select: { id: true } });
  const cpu = process.cpuUsage();
  let result: TMeasured;
  switch (mode) {
    case "idle":
      result = { ms: performance.now() - started };
      break;
    case "generate":
      result = await generate(a!, b!);
      break;
    case "issue":
      result = await issue(a!);
      break;
    case "zip":
      result = await zip(a!, b!);
      await rm(b!, { force: true });
      break;
    default:
      throw new Error(`unknown mode ${mode}`);
  }
  // maxRSS is in kilobytes (KiB).
  const used = process.cpuUsage(cpu);
  const out: TChildResult = { mode: mode!, ...result, cpuMs: (used.user + used.system) / 1000, maxRss: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(`RESULT ${JSON.stringify(out)}\n`);
}

main().then(
  () => process.exit(0),
  (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
