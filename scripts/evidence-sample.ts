// `npm run evidence:sample -- <out.pdf>`: builds a sample audit of a fictional provider
// ("Nordlys Cloud AB (sample)") from the Infrastructure Provider questionnaire — realistic
// answers, evidence files, a clarification, ratings, a verdict, sign-off — in the configured
// database, issues its signed evidence package and writes it to <out.pdf>, so that people can
// see a real package before they run an audit.
//
// The database is the one `npm start` uses: DATABASE_URL when set, else the embedded Postgres
// under ASSAY_DATA_DIR (default .data), started for the run or used as it is when `npm start` is
// running it (scripts/lib/database.ts); migrations and questionnaires are brought up to date
// first. The package is signed as the app signs: SIGNING_P12_PATH/SIGNING_P12_PASSPHRASE, else
// the development certificate under ASSAY_DATA_DIR; TSA_URL when set.
//
// Each run adds a new sample audit (the sample people, issuer urn:assay:sample, are reused); the
// audit trail is append-only, so nothing of it can be removed later. That is why the script
// refuses to run with ASSAY_ENV=production.
//
// The package is issued by calling the issuing job directly (no worker needed); the pg-boss job
// that the request queued is cancelled first, so that no server issues it a second time.

import { createHash } from "node:crypto";
import { createWriteStream, mkdirSync } from "node:fs";
import path from "node:path";
import { Readable, Transform } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeReadableStream } from "node:stream/web";
import { parseArgs } from "node:util";
import { EnvError, parseEnv } from "@/lib/env";
import { ensureDataDir, migrateAndLoadQuestionnaires, startDatabase, type TDatabase } from "./lib/database";

const USAGE = "Usage: npm run evidence:sample -- <out.pdf>";
const say = (line: string) => process.stdout.write(`[sample] ${line}\n`);

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { help: { type: "boolean", short: "h" } } });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (positionals.length !== 1 || !positionals[0]!.toLowerCase().endsWith(".pdf")) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  const out = path.resolve(positionals[0]!);

  // A sample's mail would go to fictional addresses: none is sent. Quieter logs than a server's.
  Object.assign(process.env, { SMTP_URL: "", MAIL_FROM: "", LOG_LEVEL: process.env.LOG_LEVEL || "warn" });
  let env;
  try {
    env = parseEnv(process.env);
  } catch (e) {
    if (e instanceof EnvError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    throw e;
  }
  if (env.ASSAY_ENV === "production") {
    process.stderr.write("evidence:sample adds a fictional audit (and its permanent audit trail) to the database: it does not run with ASSAY_ENV=production.\n");
    return 2;
  }

  const started = performance.now();
  const dataDir = ensureDataDir(env);
  let db: TDatabase | undefined;
  const stop = async () => {
    const { stopBoss } = await import("@/lib/jobs/boss");
    const { closeAttachmentPool } = await import("@/lib/attachments/sql");
    const { getDb } = await import("@/lib/db");
    await stopBoss().catch(() => {});
    await closeAttachmentPool().catch(() => {});
    await getDb().$disconnect().catch(() => {});
    // pg-pool's end() resolves before its sockets have closed: a moment, so that stopping the
    // embedded Postgres does not find them still open (it would log a harmless connection error).
    await new Promise((resolve) => setTimeout(resolve, 200));
    await db?.stop();
  };
  process.on("SIGINT", () => void stop().finally(() => process.exit(130)));
  process.on("SIGTERM", () => void stop().finally(() => process.exit(143)));

  try {
    db = await startDatabase({ env, dataDir, say });
    await migrateAndLoadQuestionnaires({ databaseUrl: db.databaseUrl, questionnairesDir: env.QUESTIONNAIRES_DIR, say });

    // The domain code reads DATABASE_URL through lib/env on first use: imported now that it is set.
    const { buildSampleAudit, SAMPLE_PROVIDER } = await import("./lib/sample-audit");
    const { requestEvidencePackage } = await import("@/lib/evidence/request-evidence-package");
    const { issueEvidencePackage } = await import("@/lib/evidence/issue-evidence-package");
    const { openPackageDownload } = await import("@/lib/evidence/open-package-download");
    const { getBoss, QUEUES } = await import("@/lib/jobs/boss");
    const { getDb } = await import("@/lib/db");

    const sample = await buildSampleAudit({ say });
    const requested = await requestEvidencePackage({ user: sample.reviewer, input: { auditId: sample.auditId } });
    const issuing = performance.now();
    // Issued here, not by a worker: the job the request queued is cancelled first, so that an
    // Assay server running on the same database does not issue it as well. If its worker took
    // the job in the meantime, that worker issues it and we wait for it.
    const boss = await getBoss();
    const queued = await boss.findJobs(QUEUES.evidencePackage, { data: { packageId: requested.id }, queued: true });
    if (queued.length > 0) await boss.cancel(QUEUES.evidencePackage, queued.map((j) => j.id));
    const readRow = () => getDb().evidencePackage.findUniqueOrThrow({ where: { id: requested.id }, select: { state: true, error: true } });
    if ((await readRow()).state === "QUEUED") {
      say("Issuing the evidence package (render, sign, store)…");
      await issueEvidencePackage({ packageId: requested.id });
    } else {
      say("A running Assay server picked the package up first; waiting for it…");
    }
    let row = await readRow();
    for (const deadline = Date.now() + 10 * 60_000; (row.state === "QUEUED" || row.state === "RUNNING") && Date.now() < deadline; row = await readRow()) {
      await new Promise((resolve) => setTimeout(resolve, 500));
    }
    if (row.state !== "READY") throw new Error(`The package was not issued (${row.state}): ${row.error ?? "no reason recorded"}`);
    say(`Issued in ${((performance.now() - issuing) / 1000).toFixed(1)} s.`);

    // Streamed from the store, as a download is (and recorded as the officer's download).
    const download = await openPackageDownload({ reader: { kind: "user", user: sample.officer }, packageId: requested.id });
    mkdirSync(path.dirname(out), { recursive: true });
    const hash = createHash("sha256");
    await pipeline(
      Readable.fromWeb(download.stream as NodeReadableStream<Uint8Array>),
      new Transform({
        transform(chunk: Buffer, _encoding, done) {
          hash.update(chunk);
          done(null, chunk);
        },
      }),
      createWriteStream(out),
    );
    const sha256 = hash.digest("hex");
    if (sha256 !== download.pkg.sha256) throw new Error(`The written file's SHA-256 ${sha256} is not the package's ${download.pkg.sha256}.`);

    const relative = path.relative(process.cwd(), out);
    const rel = relative && !relative.startsWith("..") ? relative : out;
    say("");
    say(`Sample evidence package of ${SAMPLE_PROVIDER}, version ${download.pkg.version} (audit ${sample.auditId}):`);
    say(`  ${out}`);
    say(`  ${(download.pkg.size! / 1024).toFixed(0)} KiB, SHA-256 ${sha256}`);
    say(`  ${sample.answered} answers, ${sample.attachments} attachments; signed by ${download.pkg.signer?.subject ?? "?"}${download.pkg.timestamped ? ", timestamped" : ""}`);
    say("Check it:");
    say(`  npm run evidence:verify -- ${rel}`);
    say(`  pdfsig ${rel}`);
    say(`Done in ${((performance.now() - started) / 1000).toFixed(1)} s. The audit is in the database too: sign in as an admin to see it.`);
    return 0;
  } finally {
    await stop();
  }
}

main().then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`[sample] Failed: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
