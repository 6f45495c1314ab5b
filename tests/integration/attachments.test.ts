import { createHash, randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { getEvidenceStatus } from "@/lib/attachments/get-evidence-status";
import { MiB } from "@/lib/attachments/limits";
import {
  multipartBody,
  sampleDocx,
  samplePdf,
  samplePng,
  sampleXlsx,
  uploadRequest,
  zipStored,
} from "@/lib/attachments/sample-files";
import { attachmentPoolStats, closeAttachmentPool } from "@/lib/attachments/sql";
import type { TAttachmentErrorBody, TAttachmentView } from "@/lib/attachments/types";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { createTestAudit, createUser } from "../factories";
import { asUser } from "./sessions";

// The attachment routes called as functions with a standard Request whose body is a stream we
// build; officers' requests carry a real session cookie (asUser), checked by the handler.
const officerRoute = await import("@/app/api/audits/[auditId]/attachments/route");
const fileRoute = await import("@/app/api/attachments/[id]/route");
const providerRoute = await import("@/app/api/r/[token]/attachments/route");
const providerFileRoute = await import("@/app/api/r/[token]/attachments/[id]/route");

const BASE = "http://assay.test";
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

async function upload(as: TCurrentUser | null, auditId: string, fields: Record<string, string>, file: { name: string; data: Buffer }) {
  const { request } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, multipartBody(fields, file));
  return officerRoute.POST(await asUser(as, request), { params: Promise.resolve({ auditId }) });
}

async function providerUpload(token: string, fields: Record<string, string>, file: { name: string; data: Buffer }) {
  const { request } = uploadRequest(`${BASE}/api/r/${token}/attachments`, multipartBody(fields, file));
  return providerRoute.POST(request, { params: Promise.resolve({ token }) });
}

async function download(as: TCurrentUser | null, id: string) {
  return fileRoute.GET(await asUser(as, new Request(`${BASE}/api/attachments/${id}`)), { params: Promise.resolve({ id }) });
}

const created = async (res: Response) => {
  const body = (await res.json()) as { data: TAttachmentView } & TAttachmentErrorBody;
  expect(res.status, JSON.stringify(body)).toBe(201);
  return body.data;
};

const events = (auditId: string, action: string) => getDb().auditEvent.findMany({ where: { auditId, action }, orderBy: { id: "asc" } });

afterEach(() => {
  // Every request is over, so is its transaction: each connection is back in the pool.
  const pool = attachmentPoolStats();
  expect(pool.idle).toBe(pool.total);
  expect(pool.waiting).toBe(0);
});

afterAll(async () => {
  await closeAttachmentPool();
});

describe("uploading and downloading", () => {
  let owner: TCurrentUser;
  let auditId: string;
  beforeAll(async () => {
    owner = await createUser(["OFFICER"]);
    ({ id: auditId } = await createTestAudit(owner));
  });

  it("a PDF uploads with the right sha256, size and type, and the event is recorded", async () => {
    const pdf = samplePdf("ISO 27001 certificate");
    const att = await created(
      await upload(owner, auditId, { evidenceItemId: "certificates", certificateIssuer: "DNV", certificateScope: "Hosting", certificateExpiresOn: "2027-06-30" }, { name: "iso27001.pdf", data: pdf }),
    );
    expect(att).toMatchObject({
      fileName: "iso27001.pdf",
      contentType: "application/pdf",
      size: pdf.length,
      sha256: sha256(pdf),
      evidenceItemId: "certificates",
      questionId: null,
      uploadedByProvider: false,
      certificate: { issuer: "DNV", scope: "Hosting", expiresOn: "2027-06-30" },
      canDelete: true,
    });
    const row = await getDb().attachment.findUniqueOrThrow({ where: { id: att.id } });
    expect(row.uploadedById).toBe(owner.id);
    expect(Number(row.size)).toBe(pdf.length);
    expect(await events(auditId, "attachment.added")).toEqual([
      expect.objectContaining({ actorId: owner.id, inviteId: null, subject: "certificates", data: expect.objectContaining({ attachmentId: att.id, sha256: sha256(pdf) }) }),
    ]);
  });

  it("downloads byte-identical with the right headers; a multi-chunk file streams back whole", async () => {
    // 2.5 MiB: three chunk rows, the last one short. Stored as a ZIP so it passes sniffing.
    const zip = zipStored([{ name: "logs/export.bin", data: randomBytes(Math.floor(2.5 * MiB)) }]);
    const att = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "Évidence – logs.zip", data: zip }));
    expect(await getDb().attachmentChunk.count({ where: { attachmentId: att.id } })).toBe(3);

    const res = await download(owner, att.id);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/zip");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="_vidence _ logs.zip"; filename*=UTF-8''%C3%89vidence%20%E2%80%93%20logs.zip`);
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    expect(res.headers.get("x-attachment-size")).toBe(String(zip.length));
    const body = Buffer.from(await res.arrayBuffer());
    expect(body.equals(zip)).toBe(true);
  });

  it("accepts each allowed type and records the sniffed type, not the claimed one", async () => {
    const cases = [
      { name: "scan.png", data: samplePng(), type: "image/png" },
      { name: "policy.docx", data: sampleDocx(), type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
      { name: "assets.xlsx", data: sampleXlsx(), type: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
      { name: "notes.txt", data: Buffer.from("Räksmörgås — UTF-8 notes\n"), type: "text/plain" },
      { name: "assets.csv", data: Buffer.from("host,region\nweb-1,eu-north-1\n"), type: "text/csv" },
    ];
    for (const c of cases) {
      const att = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: c.name, data: c.data }));
      expect(att.contentType).toBe(c.type);
    }
    const text = await download(owner, (await getDb().attachment.findFirstOrThrow({ where: { auditId, fileName: "notes.txt" } })).id);
    expect(text.headers.get("content-type")).toBe("text/plain; charset=utf-8");
  });

  it("a non-member gets 404 for the file, exactly as for one that does not exist; a reviewer member downloads", async () => {
    const att = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "a.pdf", data: samplePdf() }));
    const stranger = await createUser(["OFFICER"]);
    const missing = await download(stranger, "00000000-0000-4000-8000-000000000000");
    const hidden = await download(stranger, att.id);
    expect(hidden.status).toBe(404);
    expect(missing.status).toBe(404);
    expect(await hidden.json()).toEqual(await missing.json());
    expect((await download(stranger, "not-a-uuid")).status).toBe(404);
    expect((await download(null, att.id)).status).toBe(401);

    // The list and the upload say the same to a stranger.
    const list = await officerRoute.GET(await asUser(stranger, new Request(`${BASE}/api/audits/${auditId}/attachments`)), { params: Promise.resolve({ auditId }) });
    expect(list.status).toBe(404);
    expect((await upload(stranger, auditId, { questionId: "tech.az.locations" }, { name: "x.pdf", data: samplePdf() })).status).toBe(404);

    const reviewer = await createUser(["REVIEWER"]);
    await addAuditMember({ actor: owner, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
    expect((await download(reviewer, att.id)).status).toBe(200);
    const refused = await upload(reviewer, auditId, { questionId: "tech.az.locations" }, { name: "x.pdf", data: samplePdf() });
    expect(refused.status).toBe(403);
  });

  it("only the uploader removes a file; the removal is recorded and the bytes are gone", async () => {
    const colleague = await createUser(["OFFICER"]);
    await addAuditMember({ actor: owner, input: { auditId, email: colleague.email!, role: "OFFICER" } });
    const att = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "remove-me.pdf", data: samplePdf() }));

    const notTheirs = await fileRoute.DELETE(await asUser(colleague, new Request(`${BASE}/api/attachments/${att.id}`, { method: "DELETE" })), { params: Promise.resolve({ id: att.id }) });
    expect(notTheirs.status).toBe(403);

    const res = await fileRoute.DELETE(await asUser(owner, new Request(`${BASE}/api/attachments/${att.id}`, { method: "DELETE" })), { params: Promise.resolve({ id: att.id }) });
    expect(res.status).toBe(200);
    expect(await getDb().attachment.count({ where: { id: att.id } })).toBe(0);
    expect(await getDb().attachmentChunk.count({ where: { attachmentId: att.id } })).toBe(0);
    expect((await events(auditId, "attachment.removed")).map((e) => e.data)).toContainEqual(expect.objectContaining({ attachmentId: att.id, fileName: "remove-me.pdf" }));
    expect((await download(owner, att.id)).status).toBe(404);
  });
});

describe("the per-audit total", () => {
  it("refuses a file that would take the audit past its total, by Content-Length and after streaming", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const first = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "a.pdf", data: samplePdf() }));
    // Pretend the audit already holds nearly 500 MiB (the size column is what the total counts).
    await getDb().attachment.update({ where: { id: first.id }, data: { size: 500 * MiB - 100 } });

    const pdf = samplePdf("x".repeat(200));
    const res = await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "b.pdf", data: pdf });
    expect(res.status).toBe(413);
    const body = (await res.json()) as TAttachmentErrorBody;
    expect(body.error).toMatchObject({ code: "TOO_LARGE", field: "file", details: { reason: "audit_quota", remainingBytes: 100 } });
    expect(body.error.message).toContain("500 MiB");
    expect(await getDb().attachment.count({ where: { auditId } })).toBe(1);
    // Said at once when the Content-Length already shows it cannot fit: not a byte is read.
    const { request, stats } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, multipartBody({ questionId: "tech.az.locations" }, { name: "big.pdf", data: samplePdf() }), {
      contentLength: 200 * 1024,
    });
    const early = await officerRoute.POST(await asUser(owner, request), { params: Promise.resolve({ auditId }) });
    expect(early.status).toBe(413);
    expect(((await early.json()) as TAttachmentErrorBody).error.details?.reason).toBe("audit_quota");
    expect(stats.pulledBytes).toBe(0);

    // A small one still fits.
    await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "c.txt", data: Buffer.from("fits\n") }));

    // Two uploads that each fit alone cannot both commit past the total.
    await getDb().attachment.update({ where: { id: first.id }, data: { size: 500 * MiB - 5 - 300 } });
    const racing = await Promise.all(
      [1, 2].map(() => upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "r.txt", data: Buffer.from("y".repeat(200)) })),
    );
    expect(racing.map((r) => r.status).sort()).toEqual([201, 413]);
  });
});

describe("providers through an invite link", () => {
  let owner: TCurrentUser;
  let auditId: string;
  let token: string;
  let legalToken: string;
  beforeAll(async () => {
    owner = await createUser(["OFFICER"]);
    ({ id: auditId } = await createTestAudit(owner));
    ({ token } = await createInvite({ actor: owner, input: { auditId, name: "Pat Provider", email: "pat@provider.test", sections: ["tech", "evidence"] }, mailer: null }));
    ({ token: legalToken } = await createInvite({ actor: owner, input: { auditId, name: "Lee Legal", email: "lee@provider.test", sections: ["legal"] }, mailer: null }));
  });

  it("uploads to a delegated question and evidence item; the event names the invite", async () => {
    const pdf = samplePdf("DPA");
    const att = await created(await providerUpload(token, { evidenceItemId: "terms-and-dpa" }, { name: "dpa.pdf", data: pdf }));
    expect(att).toMatchObject({ uploadedBy: "Pat Provider", uploadedByProvider: true, canDelete: true });
    const row = await getDb().attachment.findUniqueOrThrow({ where: { id: att.id } });
    expect(row.uploadedById).toBeNull();
    expect(row.uploadedByInviteId).not.toBeNull();
    const [event] = (await events(auditId, "attachment.added")).filter((e) => (e.data as { attachmentId: string }).attachmentId === att.id);
    expect(event).toMatchObject({ actorId: null, inviteId: row.uploadedByInviteId });

    const res = await providerFileRoute.GET(new Request(`${BASE}/api/r/${token}/attachments/${att.id}`), { params: Promise.resolve({ token, id: att.id }) });
    expect(res.status).toBe(200);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf)).toBe(true);
    expect(res.headers.get("x-attachment-size")).toBe(String(pdf.length));

    // The legal contact reaches "terms-and-dpa" too (legal.dpa asks for it), and sees the file…
    const list = await providerRoute.GET(new Request(`${BASE}/api/r/${legalToken}/attachments`), { params: Promise.resolve({ token: legalToken }) });
    expect(((await list.json()) as { data: TAttachmentView[] }).data.map((a) => [a.id, a.canDelete])).toEqual([[att.id, false]]);
    // …but cannot remove it: only the invite that uploaded it can.
    const del = await providerFileRoute.DELETE(new Request(`${BASE}/api/r/${legalToken}/attachments/${att.id}`, { method: "DELETE" }), {
      params: Promise.resolve({ token: legalToken, id: att.id }),
    });
    expect(del.status).toBe(403);
  });

  it("sees neither officers' files nor files outside its sections", async () => {
    const officerFile = await created(await upload(owner, auditId, { questionId: "tech.az.locations" }, { name: "internal.pdf", data: samplePdf() }));
    const techFile = await created(await providerUpload(token, { questionId: "tech.az.locations" }, { name: "tech.pdf", data: samplePdf() }));
    const get = (t: string, id: string) => providerFileRoute.GET(new Request(`${BASE}/api/r/${t}/attachments/${id}`), { params: Promise.resolve({ token: t, id }) });
    expect((await get(token, officerFile.id)).status).toBe(404);
    expect((await get(legalToken, techFile.id)).status).toBe(404);
    expect((await get(token, techFile.id)).status).toBe(200);
  });

  it("removes its own file while active", async () => {
    const att = await created(await providerUpload(token, { questionId: "tech.az.locations" }, { name: "oops.pdf", data: samplePdf() }));
    const res = await providerFileRoute.DELETE(new Request(`${BASE}/api/r/${token}/attachments/${att.id}`, { method: "DELETE" }), { params: Promise.resolve({ token, id: att.id }) });
    expect(res.status).toBe(200);
    expect(await getDb().attachment.count({ where: { id: att.id } })).toBe(0);
    const [removed] = (await events(auditId, "attachment.removed")).filter((e) => (e.data as { attachmentId: string }).attachmentId === att.id);
    expect(removed?.inviteId).not.toBeNull();
  });
});

describe("the evidence checklist", () => {
  it("lists each item as missing, expired, expiring or ok, with the files of questions that ask for it", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const now = new Date("2026-11-23T12:00:00Z");
    await created(await upload(owner, auditId, { evidenceItemId: "certificates", certificateExpiresOn: "2026-12-31" }, { name: "iso.pdf", data: samplePdf() }));
    await created(await upload(owner, auditId, { evidenceItemId: "datacentre-certificates", certificateExpiresOn: "2026-01-01" }, { name: "dc.pdf", data: samplePdf() }));
    // Attached to the DPA question, which asks for "terms-and-dpa".
    await created(await upload(owner, auditId, { questionId: "legal.dpa" }, { name: "dpa.pdf", data: samplePdf() }));

    const overview = await getEvidenceStatus({ user: owner, auditId, now });
    const status = Object.fromEntries(overview.items.map((i) => [i.id, i.status]));
    expect(status).toEqual({
      "filled-questionnaire": "missing",
      certificates: "expiring",
      "terms-and-dpa": "ok",
      "datacentre-certificates": "expired",
      "ownership-structure": "missing",
    });
    expect(overview.counts).toEqual({ missing: 2, expired: 1, expiring: 1, ok: 1 });
    expect(overview.byQuestion["legal.dpa"]?.map((a) => a.fileName)).toEqual(["dpa.pdf"]);
    expect(overview.items.find((i) => i.id === "certificates")?.daysLeft).toBe(38);
  });
});
