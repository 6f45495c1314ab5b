import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PUT } from "@/app/api/r/[token]/answers/[questionId]/route";
import { saveAnswer } from "@/lib/answers/save-answer";
import { userActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { BAD_TOKEN_LIMIT, clientIp, SHARED_CLIENT_KEY } from "@/lib/invites/rate-limit";
import { revokeInvite } from "@/lib/invites/revoke-invite";
import { createInviteRow, createTestAudit, createUser, type TInviteRowOptions } from "../factories";

// Hostile payloads to the provider's answer route (PUT /api/r/:token/answers/:questionId),
// called as a function with web Requests we build. Each refusal must be a clear 4xx JSON error
// `{ error: { code, message, fieldErrors? } }` AND leave nothing behind: no answer row created
// or changed, no audit_event row, not even the audit's updatedAt touched (saveAnswer bumps it in
// the same transaction as the answer).
//
// The guessing limit: without TRUST_PROXY (the test environment sets none) every request is
// counted under SHARED_CLIENT_KEY, so this file's unknown-token requests share one budget of
// BAD_TOKEN_LIMIT.attempts a minute. The tests before "the guessing limit" spend fewer than
// that; the guessing-limit describe runs last and clears the key before and after itself.

// Questions of the Infrastructure Provider questionnaire 1.0.0.
const TEXT_Q = "tech.az.locations"; // text, max 2,000
const CHOICE_Q = "tech.az.presentation"; // single_choice: single-api | multiple-apis
const LONG_Q = "tech.services.offered"; // long_text, max 20,000
const YES_NO_Q = "tech.services.all-zones"; // yes_no
const PARENT_Q = "tech.iaas.anti-affinity"; // yes_no with follow-ups
const FOLLOW_UP_Q = "tech.iaas.anti-affinity.max-group-size"; // number, when parent = "yes"
const NFS_Q = "tech.storage.block.nfs-uid-mapping"; // long_text, scope: nfs, no `when`
const ORG_Q = "org.iso27001"; // section org: not delegated to a tech-only invite

const BASE = "http://assay.test";
const KiB = 1024;
const LIMIT = 256 * KiB;

let owner: TCurrentUser;

beforeAll(async () => {
  owner = await createUser(["OFFICER"], "Olivia Officer");
});

/** An invite for an audit of the test's officer (tests/factories: createInviteRow). */
const createInviteForOwner = (auditId: string, options: TInviteRowOptions = {}) => createInviteRow(auditId, owner.id, options);

/** A fresh audit (NFS out of scope) with a provider invite for the `tech` section only. */
async function setup(scope: Record<string, boolean> = { nfs: false }, inviteOptions: TInviteRowOptions = {}) {
  const { id: auditId } = await createTestAudit(owner, scope);
  const { token, inviteId } = await createInviteForOwner(auditId, { sections: ["tech"], name: "Pat Provider", ...inviteOptions });
  return { auditId, token, inviteId };
}

/** A well-shaped token that is no invite's. */
const unknownToken = () => createHash("sha256").update(randomUUID()).digest("base64url");

type TBody = string | Uint8Array | ReadableStream<Uint8Array> | null;
interface TPutOptions {
  contentType?: string | null;
  contentLength?: number | string;
  headers?: Record<string, string>;
}

/** A JSON body as the autosave sends it. */
const json = (body: unknown) => JSON.stringify(body);

function putRequest(token: string, questionId: string, body: TBody, { contentType = "application/json", contentLength, headers = {} }: TPutOptions = {}): Request {
  const h = new Headers(headers);
  if (contentType !== null) h.set("content-type", contentType);
  if (contentLength !== undefined) h.set("content-length", String(contentLength));
  const init = { method: "PUT", headers: h, body, duplex: "half" } as RequestInit & { duplex: "half" };
  return new Request(`${BASE}/api/r/${encodeURIComponent(token)}/answers/${encodeURIComponent(questionId)}`, init);
}

interface TErrorBody {
  error: { code: string; message: string; fieldErrors?: Record<string, string>; details?: unknown };
}
interface TOkBody {
  data: { questionId: string; value: unknown; note: string | null; revision: number; updatedAt: string; updatedBy: string | null };
}

async function send(req: Request, token: string, questionId: string): Promise<{ res: Response; body: TErrorBody & Partial<TOkBody> }> {
  const res = await PUT(req, { params: Promise.resolve({ token, questionId }) });
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  // The respondent's routes never leak the link through Referer, and never get cached.
  expect(res.headers.get("referrer-policy")).toBe("no-referrer");
  expect(res.headers.get("cache-control")).toBe("no-store");
  return { res, body: (await res.json()) as TErrorBody & Partial<TOkBody> };
}

const put = (token: string, questionId: string, body: TBody, options?: TPutOptions) => send(putRequest(token, questionId, body, options), token, questionId);

/** Asserts a refusal: status, code, a message that says what happened, and nothing else leaked. */
function expectRefused(r: { res: Response; body: TErrorBody }, status: number, code: string, message: RegExp) {
  expect(r.res.status, JSON.stringify(r.body)).toBe(status);
  expect(r.body).not.toHaveProperty("data");
  expect(r.body.error.code).toBe(code);
  expect(r.body.error.message).toMatch(message);
  return r.body.error;
}

async function expectSaved(r: { res: Response; body: Partial<TOkBody> }, revision: number) {
  expect(r.res.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.data).toMatchObject({ revision, note: null, updatedBy: null });
  return r.body.data!;
}

/** Everything a save could have written for this audit, to compare after a refusal. */
async function snapshot(auditId: string) {
  const db = getDb();
  const [answers, events, audit] = await Promise.all([
    db.answer.findMany({ where: { auditId }, orderBy: { questionId: "asc" } }),
    db.auditEvent.findMany({ where: { auditId }, orderBy: { id: "asc" }, select: { id: true, action: true, subject: true } }),
    db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { updatedAt: true } }),
  ]);
  return { answers, events, auditUpdatedAt: audit.updatedAt };
}

async function expectNothingWritten(auditId: string, before: Awaited<ReturnType<typeof snapshot>>) {
  expect(await snapshot(auditId)).toEqual(before);
}

const savedEvents = (auditId: string) => getDb().auditEvent.findMany({ where: { auditId, action: "answer.saved" }, orderBy: { id: "asc" } });

/** A body of `total` bytes in `piece`-sized chunks, counting how much the server pulled. */
function countingStream(total: number, piece = 64 * KiB, gate?: () => Promise<void>) {
  const stats = { pulled: 0 };
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        if (sent === 0 && gate) {
          // First piece, then wait for the test to let the rest through.
          const first = new TextEncoder().encode(`{"value":"Stockholm","baseRevision":0}`);
          sent = total;
          stats.pulled += first.byteLength;
          controller.enqueue(first);
          await gate();
          controller.close();
          return;
        }
        if (sent >= total) return controller.close();
        const n = Math.min(piece, total - sent);
        sent += n;
        stats.pulled += n;
        controller.enqueue(new Uint8Array(n).fill(0x20)); // spaces: valid JSON padding, so only the size can refuse it
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

describe("bodies that are not an answer", () => {
  it.each([
    ["a truncated object", `{"value": "Stockholm", "baseRevision": 0`],
    ["an empty body", ""],
    ["JavaScript, not JSON", `{value: 'Stockholm', baseRevision: 0}`],
    ["a trailing comma", `{"value": "Stockholm", "baseRevision": 0,}`],
  ])("invalid JSON (%s) → 400 'not valid JSON', nothing stored", async (_, raw) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, raw), 400, "INVALID_INPUT", /not valid JSON/);
    expect(error.fieldErrors).toBeUndefined();
    await expectNothingWritten(auditId, before);
  });

  it.each([
    ["an array", `[{"value": "Stockholm", "baseRevision": 0}]`],
    ["a string", `"Stockholm"`],
    ["null", "null"],
    ["a number", "0"],
    ["true", "true"],
  ])("JSON that is not an object (%s) → 400 'send an object', nothing stored", async (_, raw) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    expectRefused(await put(token, TEXT_Q, raw), 400, "INVALID_INPUT", /Send an object like \{"value": …, "baseRevision": 0\}/);
    await expectNothingWritten(auditId, before);
  });

  it.each([
    ["text/plain", "text/plain"],
    ["form-encoded", "application/x-www-form-urlencoded"],
    ["multipart", "multipart/form-data; boundary=x"],
    ["no Content-Type at all", null],
  ])("a valid answer sent with the wrong content type (%s) → 400 naming application/json, nothing stored", async (_, contentType) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    // A Uint8Array body gets no implicit Content-Type, so `null` really sends none.
    const req = putRequest(token, TEXT_Q, new TextEncoder().encode(json({ value: "Stockholm", baseRevision: 0 })), { contentType });
    if (contentType === null) expect(req.headers.get("content-type")).toBeNull();
    expectRefused(await send(req, token, TEXT_Q), 400, "INVALID_INPUT", /Content-Type: application\/json/);
    await expectNothingWritten(auditId, before);
  });

  it("a declared Content-Length over 256 KiB → 413 before a byte is read, nothing stored", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const { stream, stats } = countingStream(LIMIT + 1);
    const req = putRequest(token, TEXT_Q, stream, { contentLength: LIMIT + 1 });
    expectRefused(await send(req, token, TEXT_Q), 413, "TOO_LARGE", /larger than 256 KiB/);
    expect(stats.pulled).toBe(0);
    await expectNothingWritten(auditId, before);
  });

  it("an honest body one byte over 256 KiB → 413; exactly 256 KiB of padding is read and accepted", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const answer = json({ value: "Stockholm", baseRevision: 0 });
    const over = answer + " ".repeat(LIMIT + 1 - answer.length);
    expect(Buffer.byteLength(over)).toBe(LIMIT + 1);
    expectRefused(await put(token, TEXT_Q, over, { contentLength: LIMIT + 1 }), 413, "TOO_LARGE", /larger than 256 KiB/);
    await expectNothingWritten(auditId, before);

    // The limit is inclusive: the same answer padded to exactly 256 KiB goes through.
    const exact = over.slice(0, -1);
    await expectSaved(await put(token, TEXT_Q, exact, { contentLength: LIMIT }), 1);
  });

  it.each([
    ["no Content-Length", undefined],
    ["a lying Content-Length of 40", 40],
    ["a nonsense Content-Length", "lots"],
  ])("a streamed 4 MiB body with %s → 413 after reading at most the limit, nothing stored", async (_, contentLength) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const { stream, stats } = countingStream(4 * 1024 * KiB);
    const req = putRequest(token, TEXT_Q, stream, { contentLength });
    // The header reaches the handler as sent (undici does not recompute it for a stream).
    expect(req.headers.get("content-length")).toBe(contentLength === undefined ? null : String(contentLength));
    expectRefused(await send(req, token, TEXT_Q), 413, "TOO_LARGE", /larger than 256 KiB/);
    // Bounded work: it stopped within a piece or two of the limit, not at the end of the body.
    expect(stats.pulled).toBeGreaterThan(LIMIT);
    expect(stats.pulled).toBeLessThanOrEqual(LIMIT + 2 * 64 * KiB);
    await expectNothingWritten(auditId, before);
  });
});

describe("answers that do not fit their question", () => {
  it("long_text over 20,000 characters → 400 fieldErrors.value; exactly 20,000 is fine", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, LONG_Q, json({ value: "a".repeat(20_001), baseRevision: 0 })), 400, "INVALID_INPUT", /cannot be saved/);
    expect(error.fieldErrors).toEqual({ value: "keep it under 20,000 characters" });
    await expectNothingWritten(auditId, before);
    await expectSaved(await put(token, LONG_Q, json({ value: "a".repeat(20_000), baseRevision: 0 })), 1);
  });

  it("text over 2,000 characters → 400 fieldErrors.value (also when a long_text would take it)", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "x".repeat(2_001), baseRevision: 0 })), 400, "INVALID_INPUT", /cannot be saved/);
    expect(error.fieldErrors).toEqual({ value: "keep it under 2,000 characters" });
    await expectNothingWritten(auditId, before);
  });

  it.each([
    ["yes_no 'maybe'", YES_NO_Q, "maybe", "answer yes or no"],
    ["yes_no true (a boolean)", YES_NO_Q, true, "this answer has the wrong shape"],
    ["an unknown choice", CHOICE_Q, "three-apis", "pick one of the listed options"],
    ["a choice given as a list", CHOICE_Q, ["single-api"], /pick one of the listed options/],
    ["text given as a number", TEXT_Q, 42, /enter text/],
    ["an object", TEXT_Q, { text: "Stockholm" }, "this answer has the wrong shape"],
    ["no value at all", TEXT_Q, undefined, "this answer has the wrong shape"],
  ])("a value of the wrong type (%s) → 400 fieldErrors.value, nothing stored", async (_, questionId, value, message) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, questionId, json({ value, baseRevision: 0 })), 400, "INVALID_INPUT", /\S/);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["value"]);
    expect(error.fieldErrors!.value).toMatch(message);
    await expectNothingWritten(auditId, before);
  });

  it("a number given as a string → 400 'enter a number' (once the follow-up is shown), nothing stored", async () => {
    const { auditId, token } = await setup();
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId: PARENT_Q, value: "yes", note: null, baseRevision: 0 } });
    const before = await snapshot(auditId);
    for (const value of ["12", "", "1e400"]) {
      const error = expectRefused(await put(token, FOLLOW_UP_Q, json({ value, baseRevision: 0 })), 400, "INVALID_INPUT", /cannot be saved/);
      expect(error.fieldErrors).toEqual({ value: "enter a number" });
    }
    // 1e400 parses to Infinity: not a finite number, refused by the shape check.
    const inf = expectRefused(await put(token, FOLLOW_UP_Q, `{"value": 1e400, "baseRevision": 0}`), 400, "INVALID_INPUT", /\S/);
    expect(Object.keys(inf.fieldErrors ?? {})).toEqual(["value"]);
    await expectNothingWritten(auditId, before);
    await expectSaved(await put(token, FOLLOW_UP_Q, json({ value: 12, baseRevision: 0 })), 1);
  });

  it.each([
    ["negative", -1],
    ["not an integer", 0.5],
    ["a string", "0"],
    ["null", null],
    ["missing", undefined],
  ])("baseRevision %s → 400 fieldErrors.baseRevision, nothing stored", async (_, baseRevision) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision })), 400, "INVALID_INPUT", /Some fields need attention/);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["baseRevision"]);
    expect(error.fieldErrors!.baseRevision).toMatch(/\S/);
    await expectNothingWritten(auditId, before);
  });
});

describe("questions the provider may not answer", () => {
  it.each([
    ["an unknown question id", "tech.az.nope", /not part of the audit's questionnaire version/, { questionId: 'unknown question "tech.az.nope"' }],
    ["a section id, not a question", "tech", /not part of the audit's questionnaire version/, { questionId: 'unknown question "tech"' }],
    ["a path-like id", "../../etc/passwd", /not part of the audit's questionnaire version/, { questionId: 'unknown question "../../etc/passwd"' }],
  ])("%s → 400 fieldErrors.questionId, nothing stored", async (_, questionId, message, fieldErrors) => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, questionId, json({ value: "yes", baseRevision: 0 })), 400, "INVALID_INPUT", message);
    expect(error.fieldErrors).toEqual(fieldErrors);
    await expectNothingWritten(auditId, before);
  });

  it("a question id over 120 characters → 400 fieldErrors.questionId, nothing stored", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, `tech.${"a".repeat(200)}`, json({ value: "yes", baseRevision: 0 })), 400, "INVALID_INPUT", /\S/);
    expect(Object.keys(error.fieldErrors ?? {})).toEqual(["questionId"]);
    await expectNothingWritten(auditId, before);
  });

  it("a question of a section not delegated to the invite → 400, nothing stored; an all-sections invite may", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, ORG_Q, json({ value: "yes", baseRevision: 0 })), 400, "INVALID_INPUT", /not part of what you were asked to answer/);
    expect(error.fieldErrors).toEqual({ questionId: "This question is not part of what you were asked to answer." });
    await expectNothingWritten(auditId, before);

    const everything = await createInviteForOwner(auditId, { sections: [] });
    await expectSaved(await put(everything.token, ORG_Q, json({ value: "yes", baseRevision: 0 })), 1);
  });

  it("a follow-up hidden by the current answers → 400 (parent unanswered, then 'no'); accepted once the parent is 'yes'", async () => {
    const { auditId, token } = await setup();
    const hidden = /not shown with the current answers/;

    let before = await snapshot(auditId);
    const error = expectRefused(await put(token, FOLLOW_UP_Q, json({ value: 4, baseRevision: 0 })), 400, "INVALID_INPUT", hidden);
    expect(error.fieldErrors).toEqual({ questionId: "This question is not shown with the current answers." });
    await expectNothingWritten(auditId, before);

    await expectSaved(await put(token, PARENT_Q, json({ value: "no", baseRevision: 0 })), 1);
    before = await snapshot(auditId);
    expectRefused(await put(token, FOLLOW_UP_Q, json({ value: 4, baseRevision: 0 })), 400, "INVALID_INPUT", hidden);
    await expectNothingWritten(auditId, before);

    // The parent cleared (null) hides it too.
    await expectSaved(await put(token, PARENT_Q, json({ value: null, baseRevision: 1 })), 2);
    before = await snapshot(auditId);
    expectRefused(await put(token, FOLLOW_UP_Q, json({ value: 4, baseRevision: 0 })), 400, "INVALID_INPUT", hidden);
    await expectNothingWritten(auditId, before);

    await expectSaved(await put(token, PARENT_Q, json({ value: "yes", baseRevision: 2 })), 3);
    const saved = await expectSaved(await put(token, FOLLOW_UP_Q, json({ value: 4, baseRevision: 0 })), 1);
    expect(saved).toMatchObject({ questionId: FOLLOW_UP_Q, value: 4 });
    expect((await savedEvents(auditId)).map((e) => e.subject)).toEqual([PARENT_Q, PARENT_Q, PARENT_Q, FOLLOW_UP_Q]);
  });

  it("an NFS question when the audit's scope has nfs false → 400, nothing stored; accepted in an NFS audit", async () => {
    const { auditId, token } = await setup({ nfs: false });
    const before = await snapshot(auditId);
    expectRefused(await put(token, NFS_Q, json({ value: "root_squash, anonuid=65534", baseRevision: 0 })), 400, "INVALID_INPUT", /not shown with the current answers/);
    await expectNothingWritten(auditId, before);

    const nfs = await setup({ nfs: true });
    await expectSaved(await put(nfs.token, NFS_Q, json({ value: "root_squash, anonuid=65534", baseRevision: 0 })), 1);
  });
});

describe("the internal interview note", () => {
  it("a provider's 'note' is ignored: the officer's note stays, the response and the trail carry none", async () => {
    const { auditId, token, inviteId } = await setup();
    const officerNote = "Internal: evasive about the second site; check the DPA.";
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId: TEXT_Q, value: "Stockholm", note: officerNote, baseRevision: 0 } });

    const r = await put(token, TEXT_Q, json({ value: "Stockholm and Malmö", note: "x", baseRevision: 1 }));
    const saved = await expectSaved(r, 2);
    expect(saved).toEqual({ questionId: TEXT_Q, value: "Stockholm and Malmö", note: null, revision: 2, updatedAt: expect.any(String), updatedBy: null });
    expect(JSON.stringify(r.body)).not.toContain(officerNote);

    const row = await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId: TEXT_Q } } });
    expect(row).toMatchObject({ value: "Stockholm and Malmö", note: officerNote, revision: 2, updatedById: null, updatedByInviteId: inviteId });
    const [, providerEvent] = await savedEvents(auditId);
    expect(providerEvent).toMatchObject({ actorId: null, inviteId, subject: TEXT_Q, data: { revision: 2, value: "Stockholm and Malmö" } });
    expect(providerEvent!.data).not.toHaveProperty("note");

    // "note": null (clearing) is ignored just the same.
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", note: null, baseRevision: 2 })), 3);
    expect((await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId: TEXT_Q } } })).note).toBe(officerNote);
  });

  it("a provider's first answer with a 'note' stores none", async () => {
    const { auditId, token } = await setup();
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", note: "x", baseRevision: 0 })), 1);
    expect((await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId: TEXT_Q } } })).note).toBeNull();
  });
});

describe("a link that stops working", () => {
  it("revoked mid-session: a save works, the owner revokes, the next save → 403 FORBIDDEN, nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 })), 1);
    await revokeInvite({ actor: owner, input: { auditId, inviteId } });

    const before = await snapshot(auditId);
    const req = putRequest(token, TEXT_Q, json({ value: "Malmö", baseRevision: 1 }));
    const error = expectRefused(await send(req, token, TEXT_Q), 403, "FORBIDDEN", /withdrawn and no longer works/);
    expect(error.details).toEqual({ state: "revoked" });
    // Refused before the body is read.
    expect(req.bodyUsed).toBe(false);
    await expectNothingWritten(auditId, before);
    expect((await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId: TEXT_Q } } })).value).toBe("Stockholm");
  });

  it("revoked in SQL (another process) between two saves → 403 FORBIDDEN, nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 })), 1);
    await getDb().$executeRaw`UPDATE invite SET revoked_at = now() WHERE id = ${inviteId}::uuid`;
    const before = await snapshot(auditId);
    expectRefused(await put(token, TEXT_Q, json({ value: "Malmö", baseRevision: 1 })), 403, "FORBIDDEN", /withdrawn/);
    await expectNothingWritten(auditId, before);
  });

  // The invite is checked before the body is read and again inside the save's transaction, under
  // the invite row's lock: a revoke or submit that lands while a body is arriving wins.
  it("revoked while the request body is still arriving → 403, nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstPiece!: () => void;
    const bodyStarted = new Promise<void>((resolve) => (firstPiece = resolve));
    const { stream } = countingStream(0, 64 * KiB, async () => {
      firstPiece();
      await released;
    });
    const pending = send(putRequest(token, TEXT_Q, stream), token, TEXT_Q);
    await bodyStarted;
    await revokeInvite({ actor: owner, input: { auditId, inviteId } });
    const before = await snapshot(auditId);
    release();
    expectRefused(await pending, 403, "FORBIDDEN", /withdrawn/);
    await expectNothingWritten(auditId, before);
  });

  // The same on the path an honest client takes: an autosave still uploading when the provider
  // clicks Submit must not change an answer after the officers were told it was submitted.
  it("submitted while an autosave's body is still arriving → 403, nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    let release!: () => void;
    const released = new Promise<void>((resolve) => (release = resolve));
    let firstPiece!: () => void;
    const bodyStarted = new Promise<void>((resolve) => (firstPiece = resolve));
    const { stream } = countingStream(0, 64 * KiB, async () => {
      firstPiece();
      await released;
    });
    const pending = send(putRequest(token, TEXT_Q, stream), token, TEXT_Q);
    await bodyStarted;
    await getDb().invite.update({ where: { id: inviteId }, data: { submittedAt: new Date() } });
    const before = await snapshot(auditId);
    release();
    expectRefused(await pending, 403, "FORBIDDEN", /submitted/);
    await expectNothingWritten(auditId, before);
  });

  it("expired between two saves → 403 FORBIDDEN naming the expiry, nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 })), 1);
    await getDb().$executeRaw`UPDATE invite SET expires_at = now() - interval '1 minute' WHERE id = ${inviteId}::uuid`;
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "Malmö", baseRevision: 1 })), 403, "FORBIDDEN", /expired on \d{4}-\d{2}-\d{2}/);
    expect(error.details).toMatchObject({ state: "expired" });
    await expectNothingWritten(auditId, before);
  });

  it("an invite created expired → 403 on its first save, nothing written", async () => {
    const { auditId, token } = await setup(undefined, { expired: true });
    const before = await snapshot(auditId);
    expectRefused(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 })), 403, "FORBIDDEN", /expired/);
    await expectNothingWritten(auditId, before);
  });

  it("submitted → 403 FORBIDDEN 'read-only until reopened', nothing written", async () => {
    const { auditId, token, inviteId } = await setup();
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 })), 1);
    await getDb().invite.update({ where: { id: inviteId }, data: { submittedAt: new Date() } });
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "Malmö", baseRevision: 1 })), 403, "FORBIDDEN", /submitted; read-only until reopened/);
    expect(error.details).toEqual({ state: "submitted" });
    await expectNothingWritten(auditId, before);
  });
});

describe("links that do not exist", () => {
  // Each of these spends one of the shared key's BAD_TOKEN_LIMIT.attempts (see the top).
  it("unknown, one-character-off, truncated and non-token strings → 404 'does not exist', body unread, the real audit untouched", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const flipped = token.slice(0, -1) + (token.endsWith("A") ? "B" : "A");
    const bad = [unknownToken(), flipped, token.slice(1), `${token}A`, "../../etc/passwd", "%2e%2e%2f", "", "x".repeat(5_000), `${token}' OR '1'='1`];
    expect(bad.length).toBeLessThan(BAD_TOKEN_LIMIT.attempts);
    for (const t of bad) {
      const req = putRequest(t, TEXT_Q, json({ value: "Stockholm", baseRevision: 0 }));
      const error = expectRefused(await send(req, t, TEXT_Q), 404, "NOT_FOUND", /^This link does not exist\.$/);
      // Says nothing more: no state, no hint about the invite or the audit.
      expect(error).toEqual({ code: "NOT_FOUND", message: "This link does not exist." });
      expect(req.bodyUsed).toBe(false);
    }
    await expectNothingWritten(auditId, before);
  });
});

describe("stale saves", () => {
  it("a stale baseRevision → 409 with the current answer, without the internal note or anyone's name; nothing written", async () => {
    const { auditId, token } = await setup();
    const officerNote = "Internal: second site unverified.";
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId: TEXT_Q, value: "Stockholm", note: officerNote, baseRevision: 0 } });
    await expectSaved(await put(token, TEXT_Q, json({ value: "Stockholm and Malmö", baseRevision: 1 })), 2);
    // The officer edits in between; the provider's tab still holds revision 2.
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId: TEXT_Q, value: "Stockholm, Malmö, Luleå", note: officerNote, baseRevision: 2 } });

    const before = await snapshot(auditId);
    const r = await put(token, TEXT_Q, json({ value: "Malmö only", baseRevision: 2 }));
    const error = expectRefused(r, 409, "CONFLICT", /Someone else saved this answer after you opened it/);
    expect(error.details).toEqual({
      current: { questionId: TEXT_Q, value: "Stockholm, Malmö, Luleå", note: null, revision: 3, updatedAt: expect.any(String), updatedBy: null },
    });
    const text = JSON.stringify(r.body);
    expect(text).not.toContain(officerNote);
    expect(text).not.toContain(owner.name!);
    expect(text).not.toContain(owner.email!);
    await expectNothingWritten(auditId, before);
  });

  it("baseRevision 0 for an answer that exists → 409 with it (the unique index path), nothing written", async () => {
    const { auditId, token } = await setup();
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId: TEXT_Q, value: "Stockholm", note: "Internal", baseRevision: 0 } });
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "Malmö", baseRevision: 0 })), 409, "CONFLICT", /Someone else saved/);
    expect(error.details).toEqual({ current: { questionId: TEXT_Q, value: "Stockholm", note: null, revision: 1, updatedAt: expect.any(String), updatedBy: null } });
    await expectNothingWritten(auditId, before);
  });

  it("a baseRevision from the future for an unanswered question → 409 with current null, nothing written", async () => {
    const { auditId, token } = await setup();
    const before = await snapshot(auditId);
    const error = expectRefused(await put(token, TEXT_Q, json({ value: "Malmö", baseRevision: 7 })), 409, "CONFLICT", /Someone else saved/);
    expect(error.details).toEqual({ current: null });
    await expectNothingWritten(auditId, before);
  });

  it("10 concurrent first saves of one question → one 200, nine 409, one row at revision 1, one answer.saved event", async () => {
    const { auditId, token } = await setup();
    const values = Array.from({ length: 10 }, (_, i) => `Site ${i}`);
    const results = await Promise.all(values.map((value) => put(token, TEXT_Q, json({ value, baseRevision: 0 }))));
    const statuses = results.map((r) => r.res.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(9);

    const winner = results.find((r) => r.res.status === 200)!.body.data!;
    expect(winner.revision).toBe(1);
    for (const r of results.filter((x) => x.res.status === 409)) {
      expect(r.body.error.code).toBe("CONFLICT");
      expect(r.body.error.details).toEqual({ current: { ...winner, note: null, updatedBy: null } });
    }
    const rows = await getDb().answer.findMany({ where: { auditId } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ questionId: TEXT_Q, revision: 1, value: winner.value });
    const events = await savedEvents(auditId);
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toEqual({ revision: 1, value: winner.value });
  });
});

// Last in the file: it uses up the shared key's budget. Without TRUST_PROXY there is no peer
// address, so every request of this file is one client (SHARED_CLIENT_KEY), and X-Forwarded-For
// is ignored. The limiter has no reset function; it is rate-limiter-flexible's memory store on
// globalThis, whose `delete(key)` we use to start from a clean budget and to leave one behind.
describe("the guessing limit", () => {
  const resetSharedKey = async () => {
    const limiter = (globalThis as { assayBadTokenLimiter?: { delete(key: string): Promise<boolean> } }).assayBadTokenLimiter;
    await limiter?.delete(SHARED_CLIENT_KEY);
  };
  beforeAll(resetSharedKey);
  afterAll(resetSharedKey);

  it(`after ${BAD_TOKEN_LIMIT.attempts} unknown tokens the next request — even with a valid token — gets 429 with Retry-After; nothing written`, async () => {
    const { auditId, token } = await setup();
    expect(clientIp(new Headers({ "x-forwarded-for": "203.0.113.9" }))).toBe(SHARED_CLIENT_KEY);

    // A good token is never counted.
    for (let i = 0; i < 3; i++) await expectSaved(await put(token, TEXT_Q, json({ value: `Stockholm ${i}`, baseRevision: i })), i + 1);
    for (let i = 0; i < BAD_TOKEN_LIMIT.attempts; i++) {
      const bad = i % 2 === 0 ? unknownToken() : `not-a-token-${i}`;
      expectRefused(await put(bad, TEXT_Q, json({ value: "x", baseRevision: 0 })), 404, "NOT_FOUND", /does not exist/);
    }

    const before = await snapshot(auditId);
    for (const headers of [{}, { "x-forwarded-for": "203.0.113.9" }] as Record<string, string>[]) {
      const req = putRequest(token, TEXT_Q, json({ value: "Malmö", baseRevision: 3 }), { headers });
      const r = await send(req, token, TEXT_Q);
      const error = expectRefused(r, 429, "RATE_LIMITED", /Too many links that do not exist were tried from your network\. Try again in \d+ seconds\./);
      const retryAfter = Number(r.res.headers.get("retry-after"));
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(BAD_TOKEN_LIMIT.perSeconds);
      expect(error.details).toEqual({ retryAfterSeconds: retryAfter });
      expect(error.message).toContain(`in ${retryAfter} seconds`);
      expect(req.bodyUsed).toBe(false);
    }
    // Unknown tokens get 429 too, not 404: a blocked client learns nothing.
    expectRefused(await put(unknownToken(), TEXT_Q, json({ value: "x", baseRevision: 0 })), 429, "RATE_LIMITED", /Too many links/);
    await expectNothingWritten(auditId, before);
  });
});
