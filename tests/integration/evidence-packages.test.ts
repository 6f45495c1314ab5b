import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { closeAttachmentPool } from "@/lib/attachments/sql";
import { getDb } from "@/lib/db";
import { generateEvidencePackage } from "@/lib/evidence/generate-evidence-package";
import { issueEvidencePackage } from "@/lib/evidence/issue-evidence-package";
import { requestEvidencePackage } from "@/lib/evidence/request-evidence-package";
import { verifyEvidencePdf } from "@/lib/evidence/verify/verify-evidence-pdf";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorkers } from "@/lib/jobs/start-workers";
import { createTestAudit, createUser } from "../factories";
import { signedOffAudit, waitForState } from "./evidence-support/signed-off-audit";
import { asUser } from "./sessions";
import { events, failure } from "./support";

// Issuing evidence packages end to end: the request, the pg-boss job that renders, signs and
// stores it, the download, and what independent tools say about the file.

const downloadRoute = await import("@/app/api/packages/[id]/download/route");
const manifestRoute = await import("@/app/api/packages/[id]/manifest/route");
const statusRoute = await import("@/app/api/packages/[id]/route");

const BASE = "http://assay.test";
const work = mkdtempSync(path.join(os.tmpdir(), "assay-packages-test-"));
/** What pdfdetach -saveall extracts from the issued package. */
const detached = mkdtempSync(path.join(work, "detached-"));
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

// pg-boss workers in this process run the package jobs, as in the server.
beforeAll(async () => {
  await startWorkers();
});

afterAll(async () => {
  await stopBoss();
  await closeAttachmentPool();
  rmSync(work, { recursive: true, force: true });
});

async function download(user: TCurrentUser | null, packageId: string) {
  const res = await downloadRoute.GET(await asUser(user, new Request(`${BASE}/api/packages/${packageId}/download`)), { params: Promise.resolve({ id: packageId }) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}

describe("issuing an evidence package", () => {
  let audit: Awaited<ReturnType<typeof signedOffAudit>>;
  let packageId: string;
  let file: string;

  beforeAll(async () => {
    audit = await signedOffAudit();
  }, 120_000);

  it("is refused before the audit is signed off", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    const e = await failure(requestEvidencePackage({ user: owner, input: { auditId: id } }));
    expect(e.code).toBe("CONFLICT");
    expect(e.message).toContain("Sign the audit off first");
    expect(await getDb().evidencePackage.count({ where: { auditId: id } })).toBe(0);
  });

  it("two requests at once give one package, issued by the background job", async () => {
    const [a, b] = await Promise.all([
      requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } }),
      requestEvidencePackage({ user: audit.owner, input: { auditId: audit.auditId } }),
    ]);
    expect(a.id).toBe(b.id);
    packageId = a.id;
    const ready = await waitForState(packageId, ["READY", "FAILED"]);
    expect(ready.error).toBeNull();
    expect(ready).toMatchObject({ state: "READY", version: 1, phase: "done" });
    expect(await getDb().evidencePackage.count({ where: { auditId: audit.auditId } })).toBe(1);
    const trail = (await events(audit.auditId)).map((e) => e.action);
    expect(trail.filter((x) => x === "package.requested")).toHaveLength(1);
    expect(trail.filter((x) => x === "package.issued")).toHaveLength(1);
  }, 90_000);

  it("downloads as the signed PDF whose hash is recorded; the download is in the trail", async () => {
    const { res, bytes } = await download(audit.owner, packageId);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".*-v1\.pdf"/);
    const row = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
    expect(sha256(bytes)).toBe(row.sha256);
    expect(bytes.length).toBe(Number(row.size));
    file = path.join(work, "package.pdf");
    writeFileSync(file, bytes);
    const downloads = (await events(audit.auditId)).filter((e) => e.action === "package.downloaded");
    expect(downloads.map((e) => e.actorId)).toEqual([audit.owner.id]);
  });

  it("is valid for poppler's pdfsig and for our verifier, structurally sound, and carries the attachment byte for byte", async () => {
    const sig = execFileSync("pdfsig", [file], { encoding: "utf8" });
    expect(sig).toContain("Signature is Valid.");
    expect(sig).toContain("Total document signed");
    execFileSync("qpdf", ["--check", file]);
    const verdict = await verifyEvidencePdf(file);
    expect(verdict.problems).toEqual([]);
    expect(verdict.valid).toBe(true);
    execFileSync("pdfdetach", ["-saveall", file], { cwd: detached, stdio: "ignore" });
    const extracted = readdirSync(detached).filter((n) => n.endsWith("iso27001.pdf"));
    expect(extracted).toHaveLength(1);
    expect(sha256(readFileSync(path.join(detached, extracted[0]!)))).toBe(sha256(audit.pdf));
    const text = execFileSync("pdftotext", ["-enc", "UTF-8", file, "-"], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
    for (const [, value] of audit.answers) expect(text.replace(/\s+/g, " ")).toContain(value);
    expect(text).toContain("Sign the DPA before go-live");
  });

  it("serves the manifest beside it, byte for byte the one embedded", async () => {
    const res = await manifestRoute.GET(await asUser(audit.reviewer, new Request(`${BASE}/api/packages/${packageId}/manifest`)), { params: Promise.resolve({ id: packageId }) });
    expect(res.status).toBe(200);
    const served = Buffer.from(await res.arrayBuffer());
    const embedded = readFileSync(path.join(detached, "manifest.json"));
    expect(served.equals(embedded)).toBe(true);
    const manifest = JSON.parse(served.toString("utf8")) as { attachments: { sha256: string }[] };
    expect(manifest.attachments.map((a) => a.sha256)).toEqual([sha256(audit.pdf)]);
  });

  it("is immutable once issued, in the database itself", async () => {
    const e = await getDb()
      .$executeRaw`UPDATE evidence_package SET sha256 = 'x' WHERE id = ${packageId}::uuid`
      .then(() => null, (err: unknown) => err as Error);
    expect(String(e)).toContain("immutable");
    const c = await getDb()
      .$executeRaw`DELETE FROM evidence_package_chunk WHERE package_id = ${packageId}::uuid`
      .then(() => null, (err: unknown) => err as Error);
    expect(String(c)).toContain("immutable");
  });

  it("is not for outsiders: a signed-in non-member gets 404, no session 401", async () => {
    const stranger = await createUser(["OFFICER"]);
    expect((await download(stranger, packageId)).res.status).toBe(404);
    expect((await download(null, packageId)).res.status).toBe(401);
    const status = await statusRoute.GET(await asUser(stranger, new Request(`${BASE}/api/packages/${packageId}`)), { params: Promise.resolve({ id: packageId }) });
    expect(status.status).toBe(404);
  });
});

describe("a failed package", () => {
  it("says why, and a retry in the same row issues it once the cause is gone", async () => {
    const audit = await signedOffAudit();
    // The stored bytes of the attachment no longer match its recorded hash (storage corruption).
    const [attachment] = await getDb().attachment.findMany({ where: { auditId: audit.auditId } });
    const chunk = await getDb().attachmentChunk.findFirstOrThrow({ where: { attachmentId: attachment!.id, seq: 0 } });
    const corrupted = Buffer.from(chunk.data);
    const at = corrupted.length - 2;
    corrupted.writeUInt8(corrupted.readUInt8(at) ^ 0xff, at);
    await getDb().attachmentChunk.update({ where: { attachmentId_seq: { attachmentId: attachment!.id, seq: 0 } }, data: { data: corrupted } });

    const requested = await requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } });
    const failed = await waitForState(requested.id, ["FAILED", "READY"]);
    expect(failed.state).toBe("FAILED");
    expect(failed.error).toContain("iso27001.pdf");
    expect(await getDb().evidencePackageChunk.count({ where: { packageId: requested.id } })).toBe(0);
    expect((await events(audit.auditId)).map((e) => e.action)).toContain("package.failed");

    await getDb().attachmentChunk.update({ where: { attachmentId_seq: { attachmentId: attachment!.id, seq: 0 } }, data: { data: chunk.data } });
    const retried = await requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } });
    expect(retried.id).toBe(requested.id);
    expect(retried.state).toBe("QUEUED");
    expect((await waitForState(requested.id, ["FAILED", "READY"])).state).toBe("READY");
    // Delivered twice (pg-boss retries a job whose worker died): the second run does nothing.
    expect(await issueEvidencePackage({ packageId: requested.id })).toBe("skipped");
    const ready = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: requested.id } });
    expect(ready).toMatchObject({ state: "READY", version: 1, attempts: 2, error: null });
  }, 90_000);
});

describe("the package worker (the process that renders and signs)", () => {
  it("is stopped when its job is cancelled, which it says; a job cancelled before it starts starts none", async () => {
    const audit = await signedOffAudit();
    const controller = new AbortController();
    const phases: string[] = [];
    const outPath = path.join(work, "cancelled.pdf");
    const generate = () =>
      generateEvidencePackage({
        auditId: audit.auditId,
        version: 1,
        issuedBy: "Test Reviewer",
        issuedAt: new Date(),
        includeInternalNotes: false,
        outPath,
        signal: controller.signal,
        // The first progress comes from the worker while it embeds the attachments: cancel then.
        onProgress: (p) => {
          phases.push(p.phase);
          controller.abort();
        },
      });
    const error = await generate().catch((e: unknown) => e);
    expect(phases[0]).toBe("attachments");
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toMatch(/cancelled .* package worker stopped/);
    // Settled only once the worker has exited: nothing writes the file any more.
    expect(phases.length).toBeLessThan(5);

    const again = await generate().catch((e: unknown) => e);
    expect((again as Error).message).toMatch(/not started: the job was cancelled/);
  }, 60_000);
});

describe("a job delivered again while a run holds the package (its lease)", () => {
  type TPackageRow = Awaited<ReturnType<typeof waitForState>>;

  /** Polls the package row until `test` holds. */
  async function waitForRow(packageId: string, test: (row: TPackageRow) => boolean, timeoutMs = 60_000): Promise<TPackageRow> {
    for (const deadline = Date.now() + timeoutMs; ; ) {
      const row = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
      if (test(row)) return row;
      if (Date.now() > deadline) throw new Error(`package ${packageId}: ${row.state} (${row.phase}, attempt ${row.attempts})`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }

  /**
   * Holds SHARE on evidence_package_chunk until released: a run that reaches "storing" waits there,
   * still RUNNING, while claims, progress and heartbeats (all on evidence_package) go on. Packages
   * other test files issue meanwhile wait for it too, for the few seconds it is held.
   */
  async function holdStoring() {
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    await client.query("BEGIN");
    await client.query("LOCK TABLE evidence_package_chunk IN SHARE MODE");
    return async () => {
      await client.query("COMMIT");
      await client.end();
    };
  }

  /** The package's issued and failed events, and the SHA-256 of its stored bytes. */
  async function outcome(auditId: string, packageId: string) {
    const trail = (await events(auditId)).filter((e) => e.subject === packageId);
    const chunks = await getDb().evidencePackageChunk.findMany({ where: { packageId }, orderBy: { seq: "asc" }, select: { data: true } });
    return {
      issued: trail.filter((e) => e.action === "package.issued").map((e) => (e.data as { sha256: string }).sha256),
      failed: trail.filter((e) => e.action === "package.failed").length,
      storedSha256: chunks.length ? sha256(Buffer.concat(chunks.map((c) => Buffer.from(c.data)))) : null,
    };
  }

  it("a second delivery while the first run holds a fresh lease is skipped; the package is issued once", async () => {
    const audit = await signedOffAudit();
    const release = await holdStoring();
    let packageId: string;
    try {
      const requested = await requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } });
      packageId = requested.id;
      // The suite's pg-boss worker runs it, up to storing, where it waits (and cannot finish).
      await waitForRow(packageId, (r) => r.state === "RUNNING" && r.phase === "storing");
      expect(await issueEvidencePackage({ packageId })).toBe("skipped");
      expect(await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } })).toMatchObject({ state: "RUNNING", phase: "storing", attempts: 1 });
    } finally {
      await release();
    }
    const ready = await waitForState(packageId, ["READY", "FAILED"]);
    expect(ready).toMatchObject({ state: "READY", version: 1, attempts: 1, error: null });
    expect(await getDb().evidencePackage.count({ where: { auditId: audit.auditId } })).toBe(1);
    expect(await outcome(audit.auditId, packageId)).toEqual({ issued: [ready.sha256], failed: 0, storedSha256: ready.sha256 });
  }, 90_000);

  it("a RUNNING package whose heartbeat is stale (its worker died) is taken over and issued; a fresh one is not", async () => {
    const audit = await signedOffAudit();
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    // As a worker left it that claimed it (attempt 1, version 1) and was heard from 30 s ago.
    // No job is queued for it: the calls here are the job's deliveries.
    const { id: packageId } = await getDb().evidencePackage.create({
      data: { auditId: audit.auditId, signOff: 1, requestedById: audit.reviewer.id, state: "RUNNING", phase: "rendering", version: 1, attempts: 1, heartbeatAt: ago(30) },
    });
    expect(await issueEvidencePackage({ packageId })).toBe("skipped");
    expect(await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } })).toMatchObject({ state: "RUNNING", phase: "rendering", attempts: 1 });

    // Not heard from for 5 minutes: the worker is gone, and the next delivery takes over.
    await getDb().evidencePackage.update({ where: { id: packageId }, data: { heartbeatAt: ago(300) } });
    expect(await issueEvidencePackage({ packageId })).toBe("issued");
    const ready = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
    expect(ready).toMatchObject({ state: "READY", version: 1, attempts: 2, error: null });
    expect(ready.heartbeatAt!.getTime()).toBeGreaterThan(ago(60).getTime());
    expect(await outcome(audit.auditId, packageId)).toEqual({ issued: [ready.sha256], failed: 0, storedSha256: ready.sha256 });
  }, 90_000);

  it("asking again for a package left RUNNING by a dead worker queues it again; while its worker lives, asking returns it as it is", async () => {
    const audit = await signedOffAudit();
    const ago = (seconds: number) => new Date(Date.now() - seconds * 1000);
    const { id: packageId } = await getDb().evidencePackage.create({
      data: { auditId: audit.auditId, signOff: 1, requestedById: audit.reviewer.id, state: "RUNNING", phase: "rendering", version: 1, attempts: 1, heartbeatAt: ago(30) },
    });
    const live = await requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } });
    expect(live).toMatchObject({ id: packageId, state: "RUNNING" });
    expect((await events(audit.auditId)).filter((e) => e.action === "package.requested")).toHaveLength(0);

    await getDb().evidencePackage.update({ where: { id: packageId }, data: { heartbeatAt: ago(300) } });
    const again = await requestEvidencePackage({ user: audit.reviewer, input: { auditId: audit.auditId } });
    expect(again.id).toBe(packageId);
    const ready = await waitForState(packageId, ["READY", "FAILED"]);
    expect(ready).toMatchObject({ state: "READY", version: 1, attempts: 2, error: null });
    expect(await getDb().evidencePackage.count({ where: { auditId: audit.auditId } })).toBe(1);
    expect((await events(audit.auditId)).filter((e) => e.action === "package.requested")).toHaveLength(1);
    expect(await outcome(audit.auditId, packageId)).toEqual({ issued: [ready.sha256], failed: 0, storedSha256: ready.sha256 });
  }, 90_000);

  it("a run whose lease was taken over cannot mark the package READY (nor FAILED); the newer run issues it", async () => {
    const audit = await signedOffAudit();
    // Queued with no job, so that the suite's workers stay out: both runs are started here.
    const { id: packageId } = await getDb().evidencePackage.create({ data: { auditId: audit.auditId, signOff: 1, requestedById: audit.reviewer.id } });
    const release = await holdStoring();
    let first: Promise<string> | undefined;
    let second: Promise<string> | undefined;
    try {
      first = issueEvidencePackage({ packageId });
      await waitForRow(packageId, (r) => r.phase === "storing" && r.attempts === 1);
      // The first run goes quiet past the threshold (a stalled process; here its heartbeat is
      // set back) and the job is delivered again.
      await getDb().$executeRaw`UPDATE evidence_package SET heartbeat_at = now() - interval '5 minutes' WHERE id = ${packageId}::uuid`;
      second = issueEvidencePackage({ packageId });
      await waitForRow(packageId, (r) => r.phase === "storing" && r.attempts === 2);
    } finally {
      // Both runs now store their own file and try to mark the package READY.
      await release();
    }
    expect(await first).toBe("superseded");
    expect(await second).toBe("issued");
    const ready = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
    expect(ready).toMatchObject({ state: "READY", version: 1, attempts: 2, error: null });
    // One file: the newer run's, its hash recorded once; nothing of the first run's is left.
    expect(await outcome(audit.auditId, packageId)).toEqual({ issued: [ready.sha256], failed: 0, storedSha256: ready.sha256 });
  }, 120_000);
});
