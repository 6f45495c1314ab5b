// The package worker: a short-lived child process that renders and signs one evidence package,
// started by runPackageWorker (run-package-worker.ts) for every issuing job. It loads what
// rendering needs (pdfkit, the fonts, the signer, pg) and nothing of the server (no Next, no
// Prisma), so that its memory is the package's own: the web server never carries a render's
// peak, and a crash here fails one job, not the server.
//
// It receives one job over the IPC channel, streams the attachments from the chunk store on its
// own connection, writes the signed PDF to the path it was given, reports progress and one
// outcome, and exits. Production runs the bundle of this file (scripts/lib/build-bundles.ts);
// development and the tests run it from source through tsx.

import pg from "pg";
import { createPostgresChunkStore } from "@/lib/attachments/chunk-store";
import { isAppError } from "@/lib/errors";
import type { TEvidencePackageData } from "../render/package-data";
import { renderEvidencePdf } from "../render/render-evidence-pdf";
import { addSignaturePlaceholder } from "../signing/add-signature-placeholder";
import { resolveEvidenceSigner } from "../signing/resolve-evidence-signer";
import { signPdfFile } from "../signing/sign-pdf-file";
import type { TPackageWorkerJob, TPackageWorkerMessage } from "./protocol";

function send(message: TPackageWorkerMessage): Promise<void> {
  return new Promise((resolve, reject) => process.send!(message, undefined, {}, (e) => (e ? reject(e) : resolve())));
}

async function work(job: TPackageWorkerJob): Promise<void> {
  // One connection: attachments are read one slice at a time.
  const pool = new pg.Pool({ connectionString: job.databaseUrl, max: 1, application_name: "assay-package-worker" });
  pool.on("error", () => {}); // an idle connection lost; the next read reports it
  try {
    const store = createPostgresChunkStore({
      table: "attachment_chunk",
      owner: "attachment_id",
      query: async (text, values) => (await pool.query(text, values)).rows,
      readBytes: 64 * 1024,
    });
    const signer = await resolveEvidenceSigner(job.signer);
    const certificate = signer.describe();
    const data: TEvidencePackageData = {
      ...job.record,
      package: { ...job.record.package, signer: { subject: certificate.subject, selfSigned: certificate.selfSigned } },
      attachments: job.record.attachments.map((a) => ({ ...a, open: () => store.get(a.id, a.size) as unknown as AsyncIterable<Uint8Array> })),
    };
    const rendered = await renderEvidencePdf({
      data,
      outPath: job.outPath,
      includeInternalNotes: job.includeInternalNotes,
      onProgress: (p) => void send({ type: "progress", ...p }).catch(() => {}),
      beforeEnd: (doc) => addSignaturePlaceholder(doc, { name: certificate.subject, reason: job.reason, location: "Assay" }),
    });
    await send({ type: "progress", phase: "signing", done: 0, total: 1 });
    const signed = await signPdfFile({ path: job.outPath, signer, tsaUrl: job.tsaUrl, signedAt: new Date(job.signedAt) });
    const usage = process.resourceUsage(); // maxRSS in KiB, CPU times in µs
    await send({
      type: "done",
      pages: rendered.pages,
      manifestJson: rendered.manifestJson,
      sha256: signed.sha256,
      size: signed.size,
      timestamped: signed.timestamped,
      signer: { ...signed.signer, notBefore: signed.signer.notBefore.toISOString(), notAfter: signed.signer.notAfter.toISOString() },
      maxRss: usage.maxRSS * 1024,
      cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
    });
  } finally {
    await pool.end().catch(() => {});
  }
}

if (!process.send) {
  process.stderr.write("The package worker is started by the server (lib/evidence/worker/run-package-worker.ts), not by hand.\n");
  process.exit(2);
}
let finished = false;
// The server went away (it stopped or crashed): nobody is waiting for this package any more.
process.on("disconnect", () => {
  if (!finished) process.exit(1);
});
process.once("message", (job: TPackageWorkerJob) => {
  work(job).then(
    () => {
      finished = true;
      process.disconnect();
    },
    async (e: unknown) => {
      // A bug or the infrastructure (an AppError is an expected refusal): the trace goes to the
      // server's log through the inherited stderr; the message goes to the package row.
      if (!isAppError(e)) process.stderr.write(`package worker: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
      await send({ type: "failed", message: e instanceof Error ? e.message : String(e), ...(isAppError(e) ? { appErrorCode: e.code } : {}) }).catch(() => {});
      finished = true;
      process.disconnect();
    },
  );
});
