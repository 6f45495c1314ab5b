import { randomBytes } from "node:crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { MiB } from "@/lib/attachments/limits";
import {
  BOUNDARY,
  closing,
  fieldPart,
  fileHeader,
  multipartBody,
  sampleExe,
  samplePdf,
  uploadRequest,
  zipStored,
  zipStoredStream,
} from "@/lib/attachments/sample-files";
import { attachmentPoolStats, closeAttachmentPool } from "@/lib/attachments/sql";
import type { TAttachmentErrorBody, TAttachmentView } from "@/lib/attachments/types";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { revokeInvite } from "@/lib/invites/revoke-invite";
import { createTestAudit, createUser } from "../factories";
import { asUser } from "./sessions";

// Hostile uploads. Each refusal must be a clear 4xx JSON error AND leave nothing behind: no
// attachment row, no chunk, no "attachment.added" event, no connection held in a transaction.
// The routes are called as functions with a body stream we build, which also tells us how much
// of the body the server read before it refused (bounded work). Officers' requests carry a
// real session cookie (asUser), checked by the handler as in the app.

const officerRoute = await import("@/app/api/audits/[auditId]/attachments/route");
const providerRoute = await import("@/app/api/r/[token]/attachments/route");
const providerFileRoute = await import("@/app/api/r/[token]/attachments/[id]/route");

const BASE = "http://assay.test";
const FIELDS = { questionId: "tech.az.locations" };

let owner: TCurrentUser;
/** Every refused request goes to this audit: it must stay empty. */
let auditId: string;
/** The few uploads that succeed (cleaned names, the exact limit) go to this one. */
let acceptingAuditId: string;

beforeAll(async () => {
  owner = await createUser(["OFFICER"]);
  ({ id: auditId } = await createTestAudit(owner));
  ({ id: acceptingAuditId } = await createTestAudit(owner));
});

afterEach(async () => {
  // Nothing was stored by any refused request of this file (the successes are checked and
  // removed in their own test), and no transaction is left open.
  expect(await getDb().attachment.count({ where: { auditId } })).toBe(0);
  expect(await getDb().attachmentChunk.count({ where: { attachment: { auditId } } })).toBe(0);
  expect(await getDb().auditEvent.count({ where: { auditId, action: "attachment.added" } })).toBe(0);
  const pool = attachmentPoolStats();
  expect(pool.idle).toBe(pool.total);
});

afterAll(async () => {
  await closeAttachmentPool();
});

type TPieces = Iterable<Buffer> | AsyncIterable<Buffer>;

async function post(pieces: TPieces, options: Parameters<typeof uploadRequest>[2] = {}, audit = auditId) {
  const { request, stats } = uploadRequest(`${BASE}/api/audits/${audit}/attachments`, pieces, options);
  const res = await officerRoute.POST(await asUser(owner, request), { params: Promise.resolve({ auditId: audit }) });
  const body = (await res.json()) as TAttachmentErrorBody & { data?: TAttachmentView };
  return { status: res.status, error: body.error, data: body.data, stats };
}

/** A ZIP of `size` random bytes (+ headers), streamed 1 MiB at a time: passes sniffing, never held whole. */
function* bigZip(size: number): Generator<Buffer> {
  function* random() {
    for (let left = size; left > 0; left -= MiB) yield randomBytes(Math.min(MiB, left));
  }
  yield* zipStoredStream("data.bin", size, 0, random());
}

function* form(fields: Record<string, string>, fileName: string, content: Iterable<Buffer>, { end = true } = {}): Generator<Buffer> {
  for (const [k, v] of Object.entries(fields)) yield fieldPart(k, v);
  yield fileHeader(fileName);
  yield* content;
  if (end) {
    yield Buffer.from("\r\n");
    yield closing();
  }
}

describe("size", () => {
  it("refuses an oversize upload by its Content-Length at once, reading none of it (413)", async () => {
    const r = await post(multipartBody(FIELDS, { name: "big.pdf", data: samplePdf() }), { contentLength: 26 * MiB + 100 * 1024 });
    expect(r.status).toBe(413);
    expect(r.error).toMatchObject({ code: "TOO_LARGE", field: "file", details: { reason: "file_too_large" } });
    expect(r.error.message).toContain("25 MiB");
    expect(r.stats.pulledBytes).toBe(0);
  });

  it.each([
    ["a lying Content-Length", { contentLength: 10_000 }],
    ["no Content-Length", {}],
  ])("refuses an oversize file mid-stream with %s, and stops reading (413)", async (_, options) => {
    const r = await post(form(FIELDS, "huge.zip", bigZip(40 * MiB)), options);
    expect(r.status).toBe(413);
    expect(r.error).toMatchObject({ code: "TOO_LARGE", details: { reason: "file_too_large" } });
    // Stopped within a couple of chunks of the 25 MiB limit, not at the end of the body.
    expect(r.stats.pulledBytes).toBeLessThan(25 * MiB + 3 * MiB);
    expect(r.stats.cancelled).toBe(true);
  });

  it("refuses a zero-byte file (400)", async () => {
    const r = await post(multipartBody(FIELDS, { name: "empty.pdf", data: Buffer.alloc(0) }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ code: "INVALID_INPUT", field: "file", details: { reason: "empty_file" } });
  });
});

describe("content type", () => {
  it("refuses an executable renamed .pdf", async () => {
    const r = await post(multipartBody(FIELDS, { name: "invoice.pdf", data: sampleExe() }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ field: "file", details: { reason: "type_mismatch" } });
    expect(r.error.message).toMatch(/not a PDF.*\.exe/);
  });

  it("refuses HTML renamed .png", async () => {
    const html = Buffer.from("<!doctype html><html><body><script>fetch('/api/audits')</script></body></html>");
    const r = await post(multipartBody(FIELDS, { name: "screenshot.png", data: html }));
    expect(r.status).toBe(400);
    expect(r.error.details?.reason).toBe("type_mismatch");
  });

  it("refuses SVG (scripts run in it) by its extension, before reading the file", async () => {
    const svg = Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>');
    const r = await post(multipartBody(FIELDS, { name: "logo.svg", data: svg }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ field: "file", details: { reason: "type_not_allowed" } });
    expect(r.error.message).toContain(".svg files are not accepted");
  });

  it("refuses .txt/.csv files that are not plain UTF-8 text, or that sniff as something else", async () => {
    const png = (await import("@/lib/attachments/sample-files")).samplePng();
    for (const [name, data, reason] of [
      ["notes.txt", Buffer.concat([Buffer.from("hello"), Buffer.from([0]), Buffer.from("world")]), "binary_text"],
      ["notes.csv", Buffer.from([0x61, 0x2c, 0xff, 0xfe, 0x0a]), "not_utf8"],
      ["notes.txt", png, "type_mismatch"],
      // Valid for the first 64 KiB, binary after: caught while streaming, rolled back.
      ["late.txt", Buffer.concat([Buffer.alloc(3 * MiB, "a"), Buffer.from([0xc3, 0x28])]), "not_utf8"],
    ] as const) {
      const r = await post(multipartBody(FIELDS, { name, data }));
      expect(r.status, name).toBe(400);
      expect(r.error.details?.reason, name).toBe(reason);
    }
  });

  it("refuses a file without an extension, and an xlsx renamed .zip (the type must agree with the name)", async () => {
    expect((await post(multipartBody(FIELDS, { name: "README", data: Buffer.from("x") }))).error.details?.reason).toBe("type_not_allowed");
    const xlsx = (await import("@/lib/attachments/sample-files")).sampleXlsx();
    expect((await post(multipartBody(FIELDS, { name: "book.zip", data: xlsx }))).error.details?.reason).toBe("type_mismatch");
  });
});

describe("file names: cleaned, not refused (unless no allowed extension is left)", () => {
  it("strips paths, control characters and bidi overrides, device names and excess length", async () => {
    const cases: [string, string][] = [
      ["../../etc/passwd.pdf", "passwd.pdf"],
      ["..\\..\\Windows\\System32\\evil.pdf", "evil.pdf"],
      ["report\u202egnp.pdf", "reportgnp.pdf"],
      ["a\u200bb\u2066c\u200fd\ufeff.pdf", "abcd.pdf"],
      ["CON.pdf", "_CON.pdf"],
      [`${"x".repeat(300)}.pdf`, `${"x".repeat(116)}.pdf`],
      [" <name>?|*.pdf ", "_name____.pdf"],
    ];
    for (const [raw, clean] of cases) {
      const r = await post(multipartBody(FIELDS, { name: raw, data: samplePdf() }), {}, acceptingAuditId);
      expect(r.status, raw).toBe(201);
      expect(r.data?.fileName, raw).toBe(clean);
    }
    // Control characters (CR LF, NUL, BEL, ESC) arrive RFC 5987-encoded: a raw header cannot carry them.
    const encoded = (name: string) =>
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename*=UTF-8''${name}\r\nContent-Type: application/pdf\r\n\r\n`);
    for (const [raw, clean] of [
      ["evil%0D%0AX-Injected%3A%201.pdf", "evilX-Injected_ 1.pdf"],
      ["a%00b%07c%1B%5B31md.pdf", "abc[31md.pdf"],
    ]) {
      const r = await post([fieldPart("questionId", FIELDS.questionId), encoded(raw!), samplePdf(), Buffer.from("\r\n"), closing()], {}, acceptingAuditId);
      expect(r.data?.fileName, raw).toBe(clean);
    }
  });

  it("refuses a bidi-disguised executable: 'invoice\\u202Efdp.exe' shows as 'invoiceexe.pdf'", async () => {
    const r = await post(multipartBody(FIELDS, { name: "invoice\u202efdp.exe", data: sampleExe() }));
    expect(r.status).toBe(400);
    expect(r.error.details?.reason).toBe("type_not_allowed");
    expect(r.error.message).toContain('"invoicefdp.exe"');
  });
});

describe("malformed and abusive forms", () => {
  it("refuses a truncated body (ends mid-file) after chunks were written, and rolls them back", async () => {
    const zip = [...bigZip(3 * MiB)];
    const cut = [...form(FIELDS, "cut.zip", zip.slice(0, 3), { end: false })]; // header + 2 MiB, no end
    const r = await post(cut);
    expect(r.status).toBe(400);
    expect(r.error.details?.reason).toBe("incomplete");
  });

  it("refuses a body whose client goes away mid-file", async () => {
    const r = await post(form(FIELDS, "gone.zip", [...bigZip(3 * MiB)].slice(0, 3), { end: false }), { abortAtEnd: true });
    expect(r.status).toBe(400);
    expect(r.error.details?.reason).toBe("incomplete");
  });

  it("refuses two files in one request, even when the first was complete", async () => {
    const pieces = [fieldPart("questionId", FIELDS.questionId), fileHeader("one.pdf"), samplePdf(), Buffer.from("\r\n"), fileHeader("two.pdf"), samplePdf(), Buffer.from("\r\n"), closing()];
    const r = await post(pieces);
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ field: "file", details: { reason: "too_many_files" } });
  });

  it("refuses thousands of tiny files quickly, with bounded work: it stops reading the body", async () => {
    const pieces: Buffer[] = [fieldPart("questionId", FIELDS.questionId)];
    for (let i = 0; i < 5000; i++) pieces.push(Buffer.concat([fileHeader(`f${i}.pdf`), Buffer.from("%PDF-1.4\n"), Buffer.from("\r\n")]));
    pieces.push(closing());
    const r = await post(pieces);
    expect(r.status).toBe(400);
    expect(["too_many_files", "too_many_parts"]).toContain(r.error.details?.reason);
    expect(r.stats.pulledParts).toBeLessThan(20);
    expect(r.stats.cancelled).toBe(true);
  });

  it("refuses thousands of fields the same way", async () => {
    const pieces = Array.from({ length: 5000 }, (_, i) => fieldPart(`f${i}`, "x"));
    const r = await post(pieces);
    expect(r.status).toBe(400);
    expect(r.stats.pulledParts).toBeLessThan(20);
  });

  it("refuses a request that is not multipart, has no file, or sends the file under another name", async () => {
    const notMultipart = await post([Buffer.from("{}")], { contentType: "application/json" });
    expect(notMultipart.error.details?.reason).toBe("not_multipart");
    const noBoundary = await post([Buffer.from("x")], { contentType: "multipart/form-data; charset=utf-8" });
    expect(noBoundary.status).toBe(400);
    const noFile = await post([fieldPart("questionId", FIELDS.questionId), closing()]);
    expect(noFile.error).toMatchObject({ field: "file", details: { reason: "no_file" } });
    const otherName = await post([fieldPart("questionId", FIELDS.questionId), fileHeader("a.pdf", { field: "upload" }), samplePdf(), Buffer.from("\r\n"), closing()]);
    expect(otherName.status).toBe(400);
  });
});

describe("fields", () => {
  it.each([
    ["an impossible expiry date", { ...FIELDS, certificateExpiresOn: "2026-02-30" }, "certificateExpiresOn"],
    ["an expiry date in another format", { ...FIELDS, certificateExpiresOn: "30/06/2027" }, "certificateExpiresOn"],
    ["a question id with a path", { questionId: "../../etc/passwd" }, "questionId"],
    ["both a question and an evidence item", { ...FIELDS, evidenceItemId: "certificates" }, "questionId"],
    ["neither", { certificateIssuer: "DNV" }, "questionId"],
    ["an issuer over 200 characters", { ...FIELDS, certificateIssuer: "x".repeat(201) }, "certificateIssuer"],
    ["a value over the field size limit", { ...FIELDS, certificateScope: "x".repeat(5000) }, "certificateScope"],
    ["an unknown question", { questionId: "tech.no-such-question" }, "questionId"],
    ["an unknown evidence item", { evidenceItemId: "tax-returns" }, "evidenceItemId"],
  ])("refuses %s with a field error (400)", async (_, fields, field) => {
    const r = await post(multipartBody(fields, { name: "a.pdf", data: samplePdf() }));
    expect(r.status).toBe(400);
    expect(r.error).toMatchObject({ code: "INVALID_INPUT", field });
    expect(r.error.fieldErrors?.[field]).toBeTruthy();
  });

  it("refuses unknown, duplicated and late fields", async () => {
    const unknown = await post(multipartBody({ ...FIELDS, uploadedById: owner.id }, { name: "a.pdf", data: samplePdf() }));
    expect(unknown.error.details?.reason).toBe("unknown_field");
    const twice = await post([fieldPart("questionId", "tech.az.locations"), fieldPart("questionId", "legal.dpa"), fileHeader("a.pdf"), samplePdf(), Buffer.from("\r\n"), closing()]);
    expect(twice.error).toMatchObject({ field: "questionId", details: { reason: "duplicate_field" } });
    const late = await post([fileHeader("a.pdf"), samplePdf(), Buffer.from("\r\n"), fieldPart("questionId", FIELDS.questionId), closing()]);
    expect(late.status).toBe(400);
  });
});

describe("providers", () => {
  let token: string;
  let inviteId: string;
  beforeAll(async () => {
    ({ token, invite: { id: inviteId } } = await createInvite({ actor: owner, input: { auditId, name: "Pat", email: "pat@provider.test", sections: ["tech"] }, mailer: null }));
  });

  async function providerPost(pieces: TPieces, t = token, options: Parameters<typeof uploadRequest>[2] = {}) {
    const { request, stats } = uploadRequest(`${BASE}/api/r/${t}/attachments`, pieces, options);
    const res = await providerRoute.POST(request, { params: Promise.resolve({ token: t }) });
    return { status: res.status, body: (await res.json()) as TAttachmentErrorBody, stats };
  }

  it("refuses a question of a section not delegated to the invite, and an evidence item none of its sections asks for", async () => {
    const q = await providerPost(multipartBody({ questionId: "legal.dpa" }, { name: "dpa.pdf", data: samplePdf() }));
    expect(q.status).toBe(400);
    expect(q.body.error).toMatchObject({ field: "questionId", details: { reason: "not_delegated" } });
    const e = await providerPost(multipartBody({ evidenceItemId: "terms-and-dpa" }, { name: "dpa.pdf", data: samplePdf() }));
    expect(e.body.error).toMatchObject({ field: "evidenceItemId", details: { reason: "not_delegated" } });
  });

  it("refuses an unknown token with 404, reading nothing", async () => {
    const r = await providerPost(multipartBody(FIELDS, { name: "a.pdf", data: samplePdf() }), "A".repeat(43));
    expect(r.status).toBe(404);
    expect(r.stats.pulledBytes).toBe(0);
  });

  it("a link revoked while a file is streaming keeps nothing; afterwards every request is refused", async () => {
    let revoked = false;
    const gate = async (pulledBytes: number) => {
      // Once 2 MiB are in (the transaction is open and writing), the officer revokes the link.
      if (!revoked && pulledBytes > 2 * MiB) {
        revoked = true;
        await revokeInvite({ actor: owner, input: { auditId, inviteId } });
      }
    };
    const r = await providerPost(form(FIELDS, "evidence.zip", bigZip(4 * MiB)), token, { gate });
    expect(revoked).toBe(true);
    expect(r.status).toBe(403);
    expect(r.body.error.details).toMatchObject({ state: "revoked" });

    const again = await providerPost(multipartBody(FIELDS, { name: "a.pdf", data: samplePdf() }));
    expect(again.status).toBe(403);
    expect(again.stats.pulledBytes).toBe(0);
    const list = await providerRoute.GET(new Request(`${BASE}/api/r/${token}/attachments`), { params: Promise.resolve({ token }) });
    expect(list.status).toBe(403);
    const id = "00000000-0000-4000-8000-000000000000";
    const get = await providerFileRoute.GET(new Request(`${BASE}/api/r/${token}/attachments/${id}`), { params: Promise.resolve({ token, id }) });
    expect(get.status).toBe(403);
  });
});

describe("the limit itself", () => {
  it("is inclusive: a file of exactly 25 MiB is accepted", async () => {
    const overhead = zipStored([{ name: "x.bin", data: Buffer.alloc(0) }]).length;
    const zip = zipStored([{ name: "x.bin", data: randomBytes(25 * MiB - overhead) }]);
    expect(zip.length).toBe(25 * MiB);
    const r = await post(multipartBody(FIELDS, { name: "limit.zip", data: zip }), {}, acceptingAuditId);
    expect(r.status).toBe(201);
    expect(r.data?.size).toBe(25 * MiB);
  });
});
