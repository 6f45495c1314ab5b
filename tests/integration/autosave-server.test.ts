import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { BAD_TOKEN_LIMIT } from "@/lib/invites/rate-limit";
import { createInviteRow, createTestAudit, createUser, type TInviteRowOptions } from "../factories";
import { rawRequest, startProductionServer, type TProductionServer, type TRawResponse } from "./production-server";

// The provider's autosave through the production server as `npm start` runs it: there,
// lib/server/serve-autosave.ts answers PUT /api/r/<token>/answers/<questionId> before Next.js
// (decision 012). The same server still hands that path to Next's route when the request is
// not exactly that (here: a query string), so every case below is sent both ways, over real
// HTTP, and must get the same reply: status, body and headers. The hostile payloads themselves
// are covered against the route's operation in answers-hostile.test.ts.
//
// The guessing limit is counted in the server's memory, under the shared client key (no
// TRUST_PROXY): this file's unknown tokens stay below it until the last test spends it.

const TEXT_Q = "tech.az.locations"; // text, max 2,000
const FOLLOW_UP_Q = "tech.iaas.anti-affinity.max-group-size"; // hidden until its parent is "yes"
const KiB = 1024;
const LIMIT = 256 * KiB;

let server: TProductionServer;
let owner: TCurrentUser;

beforeAll(async () => {
  [server, owner] = await Promise.all([startProductionServer(), createUser(["OFFICER"], "Olivia Officer")]);
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

async function setup(options: TInviteRowOptions = {}) {
  const { id: auditId } = await createTestAudit(owner, { nfs: false });
  const { token, inviteId } = await createInviteRow(auditId, owner.id, { sections: ["tech"], name: "Pat Provider", ...options });
  return { auditId, token, inviteId };
}

type TVia = "fast path" | "Next";
const VIAS: TVia[] = ["fast path", "Next"];

/** The autosave URL; with a query string the same server hands it to Next's route instead. */
const autosavePath = (token: string, questionId: string, via: TVia) =>
  `/api/r/${encodeURIComponent(token)}/answers/${encodeURIComponent(questionId)}${via === "Next" ? "?via=next" : ""}`;

function put(token: string, questionId: string, via: TVia, body: string, headers: Record<string, string> = {}): Promise<TRawResponse> {
  return rawRequest(server.port, "PUT", autosavePath(token, questionId, via), {
    headers: { "content-type": "application/json", "content-length": String(Buffer.byteLength(body)), ...headers },
    body: (req) => req.end(body),
  });
}

const json = (r: TRawResponse) => JSON.parse(r.body.toString("utf8")) as { data?: Record<string, unknown>; error?: { code: string; message: string } };

/** The headers a client sees, less those of the connection and the moment. */
function replyHeaders(r: TRawResponse): Record<string, string | string[] | undefined> {
  const { date: _date, connection: _c, "keep-alive": _k, "content-length": _l, "transfer-encoding": _t, vary: _v, ...rest } = r.headers;
  return rest;
}

/** What a reply says, the same whichever server part gave it: status, headers, body (less the save's or the link's own time). */
function reply(r: TRawResponse) {
  const body = json(r) as ReturnType<typeof json> & { error?: { details?: { expiresAt?: string } } };
  if (body.data) delete body.data.updatedAt;
  if (body.error?.details?.expiresAt) delete body.error.details.expiresAt;
  return { status: r.status, headers: replyHeaders(r), body };
}

const answerRow = (auditId: string) => getDb().answer.findUnique({ where: { auditId_questionId: { auditId, questionId: TEXT_Q } } });
const eventCount = (auditId: string) => getDb().auditEvent.count({ where: { auditId, action: "answer.saved" } });

describe("the autosave through the production server", () => {
  it("saves, and answers exactly as Next's route does: the answer without the internal note, every security header of an invite link", async () => {
    const replies = [];
    for (const via of VIAS) {
      const { auditId, token } = await setup();
      const r = await put(token, TEXT_Q, via, JSON.stringify({ value: `Stockholm (${via})`, baseRevision: 0 }));
      expect(r.status, r.body.toString()).toBe(200);
      expect(json(r).data).toMatchObject({ questionId: TEXT_Q, value: `Stockholm (${via})`, revision: 1, note: null, updatedBy: null });
      expect(await answerRow(auditId)).toMatchObject({ value: `Stockholm (${via})`, revision: 1 });
      expect(await eventCount(auditId)).toBe(1);
      const { body, ...rest } = reply(r);
      replies.push({ ...rest, body: { data: { ...body.data, value: "(compared above)" } } });
    }
    expect(replies[0]).toEqual(replies[1]);
    const headers = replies[0]!.headers;
    expect(headers).toMatchObject({
      "content-type": expect.stringMatching(/^application\/json/),
      "cache-control": "no-store",
      "referrer-policy": "no-referrer",
      "x-robots-tag": "noindex, nofollow",
      "x-content-type-options": "nosniff",
      "x-frame-options": "DENY",
    });
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["x-powered-by"]).toBeUndefined();
  });

  const refusals: [string, (t: { token: string; auditId: string }) => Promise<[string, string, Record<string, string>?]>, number, string][] = [
    ["a stale revision", async () => [TEXT_Q, JSON.stringify({ value: "Malmö", baseRevision: 7 })], 409, "CONFLICT"],
    ["a follow-up hidden by the current answers", async () => [FOLLOW_UP_Q, JSON.stringify({ value: 4, baseRevision: 0 })], 400, "INVALID_INPUT"],
    ["a value too long for its question", async () => [TEXT_Q, JSON.stringify({ value: "x".repeat(2001), baseRevision: 0 })], 400, "INVALID_INPUT"],
    ["invalid JSON", async () => [TEXT_Q, `{"value": "Stockholm", "baseRevision": 0`], 400, "INVALID_INPUT"],
    ["JSON that is not an object", async () => [TEXT_Q, `["Stockholm"]`], 400, "INVALID_INPUT"],
    ["the wrong content type", async () => [TEXT_Q, JSON.stringify({ value: "Stockholm", baseRevision: 0 }), { "content-type": "text/plain" }], 400, "INVALID_INPUT"],
  ];

  it.each(refusals)("%s: the same refusal from both, nothing written", async (_, make, status, code) => {
    const replies = [];
    for (const via of VIAS) {
      const { auditId, token } = await setup();
      const [questionId, body, headers] = await make({ token, auditId });
      const r = await put(token, questionId, via, body, headers);
      expect(r.status, r.body.toString()).toBe(status);
      expect(json(r).error?.code).toBe(code);
      expect(await answerRow(auditId)).toBeNull();
      expect(await eventCount(auditId)).toBe(0);
      replies.push(reply(r));
    }
    expect(replies[0]).toEqual(replies[1]);
  });

  it.each([
    ["a revoked link", { revoked: true }, /withdrawn/],
    ["an expired link", { expired: true }, /expired on/],
    ["a submitted link", { submitted: true }, /read-only until reopened/],
  ] as const)("%s: 403 from both, saying why, nothing written", async (_, options, message) => {
    const replies = [];
    for (const via of VIAS) {
      const { auditId, token } = await setup(options);
      const r = await put(token, TEXT_Q, via, JSON.stringify({ value: "Stockholm", baseRevision: 0 }));
      expect(r.status).toBe(403);
      expect(json(r).error?.message).toMatch(message);
      expect(await answerRow(auditId)).toBeNull();
      replies.push(reply(r));
    }
    expect(replies[0]).toEqual(replies[1]);
  });

  it("a declared body over 256 KiB: 413 from both before the body is read", async () => {
    const replies = [];
    for (const via of VIAS) {
      const { auditId, token } = await setup();
      const r = await rawRequest(server.port, "PUT", autosavePath(token, TEXT_Q, via), {
        headers: { "content-type": "application/json", "content-length": String(LIMIT + 1) },
        // Only the headers go out: the server must answer without waiting for a body.
        body: (req) => req.flushHeaders(),
      });
      expect(r.status).toBe(413);
      expect(await answerRow(auditId)).toBeNull();
      replies.push(reply(r));
    }
    expect(replies[0]).toEqual(replies[1]);
  });

  it("a chunked body of 4 MiB: 413 once past 256 KiB, nothing written, and the server goes on saving", async () => {
    const { auditId, token } = await setup();
    let sent = 0;
    let answered = false;
    const r = await rawRequest(server.port, "PUT", autosavePath(token, TEXT_Q, "fast path"), {
      headers: { "content-type": "application/json", "transfer-encoding": "chunked" },
      body: (req) => {
        const piece = Buffer.alloc(16 * KiB, 0x20);
        const pump = () => {
          // Up to 4 MiB of JSON whitespace, as fast as the server takes it; stops once it answers.
          while (sent < 4 * 1024 * KiB && !answered) {
            sent += piece.length;
            if (!req.write(piece)) return void req.once("drain", pump);
          }
          req.end();
        };
        req.once("response", () => (answered = true));
        pump();
      },
    });
    expect(r.status).toBe(413);
    expect(json(r).error).toMatchObject({ code: "TOO_LARGE", message: expect.stringMatching(/larger than 256 KiB/) });
    expect(await answerRow(auditId)).toBeNull();
    const next = await put(token, TEXT_Q, "fast path", JSON.stringify({ value: "Stockholm", baseRevision: 0 }));
    expect(next.status).toBe(200);
  });

  it("a client that hangs up half-way through its body: nothing written, and its next save goes through", async () => {
    const { auditId, token } = await setup();
    const body = JSON.stringify({ value: "Stockholm", baseRevision: 0 });
    await new Promise<void>((resolve) => {
      void rawRequest(server.port, "PUT", autosavePath(token, TEXT_Q, "fast path"), {
        headers: { "content-type": "application/json", "content-length": String(body.length) },
        body: (req) => {
          req.write(body.slice(0, 10));
          setTimeout(() => {
            req.destroy();
            resolve();
          }, 200);
        },
      }).catch(() => {});
    });
    await new Promise((r) => setTimeout(r, 300));
    expect(await answerRow(auditId)).toBeNull();
    expect(await eventCount(auditId)).toBe(0);
    const r = await put(token, TEXT_Q, "fast path", body);
    expect(r.status).toBe(200);
    expect(json(r).data).toMatchObject({ revision: 1 });
  });

  it("everything else on that path goes on to Next: GET is 405, as the route has no GET", async () => {
    const { token } = await setup();
    const r = await rawRequest(server.port, "GET", autosavePath(token, TEXT_Q, "fast path"));
    expect(r.status).toBe(405);
  });

  it(`unknown links spend one guessing budget, whichever part answers: ${BAD_TOKEN_LIMIT.attempts} are 404, then 429 with Retry-After, even for a good link`, async () => {
    const { auditId, token } = await setup();
    const unknown = () => createHash("sha256").update(randomUUID()).digest("base64url");
    const body = JSON.stringify({ value: "Stockholm", baseRevision: 0 });
    for (let i = 0; i < BAD_TOKEN_LIMIT.attempts; i++) {
      const r = await put(unknown(), TEXT_Q, i % 2 === 0 ? "fast path" : "Next", body);
      expect(r.status, `attempt ${i + 1}`).toBe(404);
      expect(json(r).error).toEqual({ code: "NOT_FOUND", message: "This link does not exist." });
    }
    for (const via of VIAS) {
      const limited = await put(token, TEXT_Q, via, body);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers["retry-after"])).toBeGreaterThan(0);
      expect(json(limited).error?.code).toBe("RATE_LIMITED");
    }
    expect(await answerRow(auditId)).toBeNull();
  });
});
