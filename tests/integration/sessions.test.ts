import { encode } from "next-auth/jwt";
import { NextRequest } from "next/server";
import { describe, expect, it } from "vitest";
import { userActor } from "@/lib/auth/actor";
import { getAuthOptions } from "@/lib/auth/options";
import { saveAnswer } from "@/lib/answers/save-answer";
import { createTestAudit, createUser } from "../factories";
import { sessionCookie } from "./sessions";

// Route handlers check the session cookie themselves (requireUser(req)): what a browser, or
// someone forging cookies, gets back from one of them.
const historyRoute = await import("@/app/api/audits/[auditId]/answers/[questionId]/history/route");
const Q = "tech.az.locations";

async function history(auditId: string, cookie: string | null) {
  const headers = cookie ? { cookie } : undefined;
  const res = await historyRoute.GET(new NextRequest(`http://assay.test/api/audits/${auditId}/answers/${Q}/history`, { headers }), {
    params: Promise.resolve({ auditId, questionId: Q }),
  });
  return { status: res.status, body: (await res.json()) as { data?: unknown[]; error?: { code: string } } };
}

async function setup() {
  const owner = await createUser(["OFFICER"]);
  const { id } = await createTestAudit(owner);
  await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: Q, value: "Stockholm", note: null, baseRevision: 0 } });
  return { owner, auditId: id };
}

describe("the session cookie, as route handlers read it", () => {
  it("a member's cookie is let in; no cookie is 401", async () => {
    const { owner, auditId } = await setup();
    const ok = await history(auditId, await sessionCookie(owner));
    expect(ok.status).toBe(200);
    expect(ok.body.data).toHaveLength(1);
    const none = await history(auditId, null);
    expect(none.status).toBe(401);
    expect(none.body.error?.code).toBe("UNAUTHENTICATED");
  });

  it("a cookie made with another secret, an expired one, or garbage reads as signed out (401)", async () => {
    const { owner, auditId } = await setup();
    const claims = { uid: owner.id, sub: owner.id };
    const forged = await encode({ token: claims, secret: "someone-else's-secret-0123456789abcdef" });
    const expired = await encode({ token: claims, secret: getAuthOptions().secret!, maxAge: -3600 });
    for (const value of [forged, expired, "not-a-jwt", ""]) {
      const r = await history(auditId, `next-auth.session-token=${value}`);
      expect(r.status, value.slice(0, 20)).toBe(401);
    }
  });

  it("the cookie of a signed-in non-member gets 404, the same as for an audit that does not exist", async () => {
    const { auditId } = await setup();
    const stranger = await createUser(["OFFICER"]);
    const r = await history(auditId, await sessionCookie(stranger));
    expect(r.status).toBe(404);
  });

  it("a session split into chunks (.0, .1), as next-auth does past 4 KB, is read whole", async () => {
    const { owner, auditId } = await setup();
    const value = (await sessionCookie(owner)).split("=")[1]!;
    const half = Math.floor(value.length / 2);
    const chunked = `next-auth.session-token.1=${value.slice(half)}; next-auth.session-token.0=${value.slice(0, half)}`;
    expect((await history(auditId, chunked)).status).toBe(200);
    // One chunk alone is not a session.
    expect((await history(auditId, `next-auth.session-token.0=${value.slice(0, half)}`)).status).toBe(401);
  });
});
