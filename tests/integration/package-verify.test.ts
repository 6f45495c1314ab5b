import { readdirSync, statSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { MiB } from "@/lib/attachments/limits";
import { multipartBody, uploadRequest } from "@/lib/attachments/sample-files";
import { closeAttachmentPool } from "@/lib/attachments/sql";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import type { TUploadedPackageVerification } from "@/lib/evidence/verify-uploaded-package";
import { verifyUploadedPackage } from "@/lib/evidence/verify-uploaded-package";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorkers } from "@/lib/jobs/start-workers";
import { createUser } from "../factories";
import { issuePackage, signedOffAudit, signOff } from "./evidence-support/signed-off-audit";
import { asUser } from "./sessions";
import { failure } from "./support";

// The verify page's upload: a package is streamed into a private temporary file, checked by the
// offline verifier, and looked up among the packages this Assay issued — saying which audit and
// version only to those who may view it.

const verifyRoute = await import("@/app/api/verify/route");
const downloadRoute = await import("@/app/api/packages/[id]/download/route");

const BASE = "http://assay.test";

let audit: Awaited<ReturnType<typeof signedOffAudit>>;
let providerName: string;
let v1: { id: string; bytes: Buffer };

/** The temporary directories of verifications under way (there must be none between requests). */
const tempDirs = () => readdirSync(os.tmpdir()).filter((n) => n.startsWith("assay-verify-"));

async function downloadPackage(user: TCurrentUser, packageId: string): Promise<Buffer> {
  const res = await downloadRoute.GET(await asUser(user, new Request(`${BASE}/api/packages/${packageId}/download`)), { params: Promise.resolve({ id: packageId }) });
  expect(res.status).toBe(200);
  return Buffer.from(await res.arrayBuffer());
}

const PIECE = 16 * 1024;

/** The file in 16 KiB pieces, so that the server pulls it piece by piece. */
function pieces(data: Buffer, name = "package.pdf"): Buffer[] {
  const [head, , ...tail] = multipartBody({}, { name, data, contentType: "application/pdf" });
  const parts: Buffer[] = [];
  for (let at = 0; at < data.length; at += PIECE) parts.push(data.subarray(at, at + PIECE));
  return [head!, ...parts, ...tail];
}

async function post(user: TCurrentUser | null, body: Buffer[], options: Parameters<typeof uploadRequest>[2] = {}) {
  const { request, stats } = uploadRequest(`${BASE}/api/verify`, body, options);
  const res = await verifyRoute.POST(await asUser(user, request));
  const json = (await res.json()) as { data?: TUploadedPackageVerification; error?: { code: string; message: string; details?: Record<string, unknown> } };
  return { status: res.status, data: json.data, error: json.error, stats, text: JSON.stringify(json) };
}

beforeAll(async () => {
  await startWorkers();
  audit = await signedOffAudit();
  const row = await issuePackage(audit.owner, audit.auditId);
  v1 = { id: row.id, bytes: await downloadPackage(audit.owner, row.id) };
  providerName = (await getDb().audit.findUniqueOrThrow({ where: { id: audit.auditId }, select: { providerName: true } })).providerName;
}, 90_000);

afterAll(async () => {
  await stopBoss();
  await closeAttachmentPool();
});

afterEach(() => {
  expect(tempDirs()).toEqual([]);
});

describe("verifying an uploaded package", () => {
  it("says an issued package is valid, which audit and version it is, and that it is the latest; the upload sat in a private file", async () => {
    const seen: { dir: number; file: number }[] = [];
    // Before the body's second piece (the first is the part's header) is handed over, wait for
    // the copy's file to appear: it is created as soon as the header is parsed.
    const gate = async (pulled: number) => {
      if (pulled === 0 || seen.length > 0) return;
      for (let i = 0; i < 200 && seen.length === 0; i++) {
        const [dir] = tempDirs();
        const file = dir ? readdirSync(path.join(os.tmpdir(), dir))[0] : undefined;
        if (dir && file) {
          const d = path.join(os.tmpdir(), dir);
          seen.push({ dir: statSync(d).mode & 0o777, file: statSync(path.join(d, file)).mode & 0o777 });
        } else await new Promise((r) => setTimeout(r, 10));
      }
    };
    const r = await post(audit.reviewer, pieces(v1.bytes), { gate });
    expect(r.status).toBe(200);
    expect(seen).toEqual([{ dir: 0o700, file: 0o600 }]);
    const data = r.data!;
    expect(data.valid).toBe(true);
    expect(data.problems).toEqual([]);
    expect(data.size).toBe(v1.bytes.length);
    expect(data.fileName).toBe("package.pdf");
    expect(data.checks.length).toBeGreaterThan(5);
    expect(data.checks.every((c) => c.ok && typeof c.name === "string" && typeof c.detail === "string")).toBe(true);
    expect(data.checks.map((c) => c.name)).toEqual(expect.arrayContaining(["One signature", "Document digest", "Signature", "Certificate", "Attachments"]));
    expect(data.signer).toMatchObject({ development: true, selfSigned: true });
    expect(data.attachments).toHaveLength(1);
    expect(data.attachments[0]!.matchesManifest).toBe(true);
    expect(data.match).toMatchObject({ kind: "issued", packageId: v1.id, auditId: audit.auditId, providerName, version: 1, latest: true, newerVersion: null, auditChangedSince: false });
  });

  it("tells a non-member only that this Assay issued it", async () => {
    const stranger = await createUser(["OFFICER"]);
    const r = await post(stranger, pieces(v1.bytes));
    expect(r.status).toBe(200);
    expect(r.data!.valid).toBe(true);
    expect(r.data!.match).toEqual({ kind: "issued_no_access" });
    expect(r.text).not.toContain(audit.auditId);
    expect(r.text).not.toContain(providerName);
    expect(r.text).not.toContain(v1.id);
  });

  it("finds a one-byte change: not valid, the digest check fails, and it is not a package issued here as it is", async () => {
    const changed = Buffer.from(v1.bytes);
    // A byte inside the first content stream: the structure stays readable, the signed digest does not.
    const at = changed.indexOf("stream\n", 1000) + 40;
    changed[at] = changed[at]! ^ 0x01;
    const r = await post(audit.owner, pieces(changed));
    expect(r.status).toBe(200);
    const data = r.data!;
    expect(data.valid).toBe(false);
    const digest = data.checks.find((c) => c.name === "Document digest")!;
    expect(digest).toMatchObject({ ok: false, detail: "The document was changed after signing: its digest is not the signed one." });
    expect(data.problems).toContain(digest.detail);
    // Even to a member: the bytes are not the issued ones, whatever its manifest claims.
    expect(data.match).toEqual({ kind: "not_issued_as_is" });
    expect(r.text).not.toContain(providerName);
  });

  it("refuses a file that is not a PDF, and an empty one, with a clear error", async () => {
    const text = await post(audit.owner, multipartBody({}, { name: "notes.txt", data: Buffer.from("Just some notes, no PDF here.\n".repeat(100)) }));
    expect(text.status).toBe(400);
    expect(text.error).toMatchObject({ code: "INVALID_INPUT", details: { reason: "not_pdf" } });
    expect(text.error!.message).toBe('"notes.txt" is not a PDF. An evidence package is the signed PDF file Assay issues (evidence-package-…-vN.pdf).');
    const empty = await post(audit.owner, multipartBody({}, { name: "empty.pdf", data: Buffer.alloc(0) }));
    expect(empty.status).toBe(400);
    expect(empty.error).toMatchObject({ code: "INVALID_INPUT", details: { reason: "empty_file" } });
  });

  it("answers 413 to an oversize Content-Length before reading the body, and 401 without a session", async () => {
    const big = await post(audit.owner, pieces(v1.bytes), { contentLength: 600 * MiB });
    expect(big.status).toBe(413);
    expect(big.error).toMatchObject({ code: "TOO_LARGE", details: { reason: "file_too_large", maxFileBytes: 512 * MiB } });
    expect(big.error!.message).toContain("512 MiB");
    expect(big.stats.pulledBytes).toBe(0);
    const anonymous = await post(null, pieces(v1.bytes));
    expect(anonymous.status).toBe(401);
    expect(anonymous.stats.pulledBytes).toBe(0);
  });

  it("stops reading a file that grows past the limit mid-stream (a lying Content-Length)", async () => {
    const { request, stats } = uploadRequest(`${BASE}/api/verify`, pieces(v1.bytes), { contentLength: 10_000 });
    expect(v1.bytes.length).toBeGreaterThan(6 * PIECE);
    const e = await failure(verifyUploadedPackage({ user: audit.owner, request, maxBytes: 2 * PIECE }));
    expect(e).toMatchObject({ code: "TOO_LARGE", details: { reason: "file_too_large" } });
    // Stopped within a piece or two of the limit, not at the end of the body.
    expect(stats.pulledBytes).toBeLessThan(5 * PIECE);
    expect(stats.cancelled).toBe(true);
  });

  it("says a newer version exists once the audit was reopened, signed off again and issued anew", async () => {
    // Reopened as an admin would (lib/review/reopen-audit.ts), straight in the database.
    await getDb().audit.update({ where: { id: audit.auditId }, data: { status: "IN_PROGRESS", signedOffAt: null, signedOffById: null } });
    const reopened = await post(audit.owner, pieces(v1.bytes));
    expect(reopened.data!.match).toMatchObject({ kind: "issued", version: 1, latest: true, auditChangedSince: true });

    await signOff(audit.auditId, audit.reviewer);
    const row = await issuePackage(audit.reviewer, audit.auditId);
    expect(row.version).toBe(2);
    const first = await post(audit.reviewer, pieces(v1.bytes));
    expect(first.data!.valid).toBe(true);
    expect(first.data!.match).toMatchObject({ kind: "issued", version: 1, latest: false, newerVersion: 2 });

    const v2 = await downloadPackage(audit.owner, row.id);
    const second = await post(audit.reviewer, pieces(v2));
    expect(second.data!.match).toMatchObject({ kind: "issued", packageId: row.id, version: 2, latest: true, newerVersion: null, auditChangedSince: false });
  }, 60_000);
});
