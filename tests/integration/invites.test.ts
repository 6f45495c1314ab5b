import { createHash, randomUUID } from "node:crypto";
import { describe, expect, it } from "vitest";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createInvite } from "@/lib/invites/create-invite";
import { findInvite } from "@/lib/invites/find-invite";
import { inviteUrl } from "@/lib/invites/invite-url";
import { listInvites } from "@/lib/invites/list-invites";
import { BAD_TOKEN_LIMIT, clientIp, consumeBadTokenAttempt, normaliseIp, SHARED_CLIENT_KEY } from "@/lib/invites/rate-limit";
import { reissueInvite } from "@/lib/invites/reissue-invite";
import { reopenInvite } from "@/lib/invites/reopen-invite";
import { requireInvite } from "@/lib/invites/require-invite";
import { resolveInvite } from "@/lib/invites/resolve-invite";
import { revokeInvite } from "@/lib/invites/revoke-invite";
import { createTestAudit, createUser } from "../factories";
import { events, failure } from "./support";

// Invites are created with `mailer: null` here (no e-mail); tests/integration/mail.test.ts
// covers the mail through a real SMTP server.

const inviteCount = (auditId: string) => getDb().invite.count({ where: { auditId } });
/** A client key of its own per test: the rate limiter is shared by the whole test process. */
const clientKey = () => `test-${randomUUID()}`;
/** A well-shaped token that is no invite's. */
const unknownToken = () => createHash("sha256").update(randomUUID()).digest("base64url");

async function setup() {
  const owner = await createUser(["OFFICER"]);
  const audit = await createTestAudit(owner);
  const invite = (input: { sections?: string[]; expiresInDays?: number } = {}) =>
    createInvite({ actor: owner, input: { auditId: audit.id, name: "Dana Provider", email: " Dana@Provider.Example ", ...input }, mailer: null });
  return { owner, auditId: audit.id, invite };
}

describe("creating an invite", () => {
  it("returns the token once and stores only its SHA-256; the trail has no token either", async () => {
    const { auditId, invite } = await setup();
    const issued = await invite({ sections: ["org", "tech"], expiresInDays: 14 });

    expect(issued.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(issued.token, "base64url")).toHaveLength(32);
    expect(issued.url).toBe(inviteUrl(issued.token));
    expect(issued.url.endsWith(`/r/${issued.token}`)).toBe(true);
    expect(issued.emailed).toBe(false);
    // Normalised, and in questionnaire order.
    expect(issued.invite).toMatchObject({ name: "Dana Provider", email: "dana@provider.example", sections: ["tech", "org"] });
    const days = (issued.invite.expiresAt.getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(13.99);
    expect(days).toBeLessThanOrEqual(14);

    const [row] = await getDb().$queryRaw<{ json: string }[]>`SELECT row_to_json(i)::text AS json FROM invite i WHERE id = ${issued.invite.id}::uuid`;
    expect(row!.json).not.toContain(issued.token);
    const stored = await getDb().invite.findUniqueOrThrow({ where: { id: issued.invite.id } });
    expect(stored.tokenHash).toBe(createHash("sha256").update(issued.token).digest("hex"));

    const trail = await events(auditId);
    expect(trail.map((e) => e.action)).toEqual(["audit.created", "invite.created"]);
    expect(trail[1]).toMatchObject({ subject: issued.invite.id, inviteId: null });
    expect(trail[1]!.data).toEqual({ name: "Dana Provider", email: "dana@provider.example", sections: ["tech", "org"], expiresAt: issued.invite.expiresAt.toISOString() });
    const trailText = JSON.stringify(trail, (_, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
    expect(trailText).not.toContain(issued.token);
    expect(trailText).not.toContain(stored.tokenHash);
  });

  it("resolves the token to its invite, active, and to nothing once changed by one character", async () => {
    const { owner, invite } = await setup();
    const issued = await invite();
    const resolved = await resolveInvite(issued.token);
    expect(resolved).toMatchObject({ id: issued.invite.id, state: "active", sections: [], invitedBy: { name: owner.name, email: owner.email } });
    const flipped = issued.token.slice(0, -1) + (issued.token.endsWith("A") ? "B" : "A");
    expect(await resolveInvite(flipped)).toBeNull();
    expect(await resolveInvite(issued.token.slice(1))).toBeNull();
  });

  it("checks sections against the audit's questionnaire version: an unknown one is a field error and nothing is written", async () => {
    const { auditId, invite } = await setup();
    const e = await failure(invite({ sections: ["tech", "gdpr"] }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.fieldErrors).toEqual({ sections: "unknown section: gdpr" });
    expect(await inviteCount(auditId)).toBe(0);
    expect((await events(auditId)).map((ev) => ev.action)).toEqual(["audit.created"]);
  });

  it.each([
    ["no name", { name: " " }, { name: "enter the contact's name" }],
    ["a bad e-mail", { email: "dana" }, { email: "enter a valid e-mail address" }],
    ["0 days", { expiresInDays: 0 }, { expiresInDays: "at least 1 day" }],
    ["91 days", { expiresInDays: 91 }, { expiresInDays: "at most 90 days" }],
    ["half days", { expiresInDays: 1.5 }, { expiresInDays: "whole days only" }],
  ])("refuses %s field by field", async (_, bad, fieldErrors) => {
    const { owner, auditId } = await setup();
    const e = await failure(createInvite({ actor: owner, input: { auditId, name: "Dana", email: "dana@provider.example", ...bad }, mailer: null }));
    expect(e.fieldErrors).toEqual(fieldErrors);
    expect(await inviteCount(auditId)).toBe(0);
  });
});

describe("who may manage invites", () => {
  it("a non-member gets NOT_FOUND; a member without manage gets FORBIDDEN; an admin may; nothing is written by the refused", async () => {
    const { owner, auditId, invite } = await setup();
    const issued = await invite();
    const stranger = await createUser(["OFFICER"]);
    const officer = await createUser(["OFFICER"]);
    const reviewer = await createUser(["REVIEWER"]);
    await addAuditMember({ actor: owner, input: { auditId, email: officer.email!, role: "OFFICER" } });
    await addAuditMember({ actor: owner, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
    const ref = { auditId, inviteId: issued.invite.id };
    const create = (actor: typeof owner) => createInvite({ actor, input: { auditId, name: "X", email: "x@provider.example" }, mailer: null });

    for (const [actor, code] of [
      [stranger, "NOT_FOUND"],
      [officer, "FORBIDDEN"],
      [reviewer, "FORBIDDEN"],
    ] as const) {
      expect((await failure(create(actor))).code).toBe(code);
      expect((await failure(revokeInvite({ actor, input: ref }))).code).toBe(code);
      expect((await failure(reissueInvite({ actor, input: ref, mailer: null }))).code).toBe(code);
      expect((await failure(reopenInvite({ actor, input: ref }))).code).toBe(code);
    }
    const forbidden = await failure(create(officer));
    expect(forbidden.message).toMatch(/owner or an administrator/);
    // Members (reviewers too) see the list; strangers do not.
    expect((await listInvites({ user: reviewer, auditId })).map((i) => i.id)).toEqual([issued.invite.id]);
    expect((await failure(listInvites({ user: stranger, auditId }))).code).toBe("NOT_FOUND");
    expect(await inviteCount(auditId)).toBe(1);
    expect((await resolveInvite(issued.token))?.state).toBe("active");

    const admin = await createUser(["ADMIN"]);
    await revokeInvite({ actor: admin, input: ref });
    expect((await resolveInvite(issued.token))?.state).toBe("revoked");
  });

  it("an invite id of another audit is unknown in this one", async () => {
    const a = await setup();
    const b = await setup();
    const issued = await b.invite();
    const e = await failure(revokeInvite({ actor: a.owner, input: { auditId: a.auditId, inviteId: issued.invite.id } }));
    expect(e.code).toBe("NOT_FOUND");
    expect((await resolveInvite(issued.token))?.state).toBe("active");
  });
});

describe("the life of a link", () => {
  it("expires: resolveInvite says expired, requireInvite refuses viewing and answering", async () => {
    const { invite } = await setup();
    const issued = await invite();
    await getDb().$executeRaw`UPDATE invite SET expires_at = now() - interval '1 minute' WHERE id = ${issued.invite.id}::uuid`;
    expect((await resolveInvite(issued.token))?.state).toBe("expired");
    for (const need of ["view", "answer"] as const) {
      const e = await failure(requireInvite({ token: issued.token, need, clientKey: null }));
      expect(e.code).toBe("FORBIDDEN");
      expect(e.details).toMatchObject({ state: "expired" });
      expect(e.message).toMatch(/expired on \d{4}-\d{2}-\d{2}/);
    }
  });

  it("revoke: the link stops working at once, a second revoke is a conflict, both recorded once", async () => {
    const { owner, auditId, invite } = await setup();
    const issued = await invite();
    const ref = { auditId, inviteId: issued.invite.id };
    await revokeInvite({ actor: owner, input: ref });
    expect((await resolveInvite(issued.token))?.state).toBe("revoked");
    const e = await failure(requireInvite({ token: issued.token, need: "view", clientKey: null }));
    expect(e).toMatchObject({ code: "FORBIDDEN", details: { state: "revoked" } });
    expect((await failure(revokeInvite({ actor: owner, input: ref }))).code).toBe("CONFLICT");
    expect((await events(auditId)).map((ev) => ev.action)).toEqual(["audit.created", "invite.created", "invite.revoked"]);
  });

  it("reissue: the old token dies, a new one works with the same contact and sections; a second reissue of the old one is refused", async () => {
    const { owner, auditId, invite } = await setup();
    const old = await invite({ sections: ["legal"] });
    const fresh = await reissueInvite({ actor: owner, input: { auditId, inviteId: old.invite.id, expiresInDays: 7 }, mailer: null });
    expect(fresh.token).not.toBe(old.token);
    expect(fresh.invite).toMatchObject({ name: "Dana Provider", email: "dana@provider.example", sections: ["legal"] });
    expect((await resolveInvite(old.token))?.state).toBe("revoked");
    expect(await resolveInvite(fresh.token)).toMatchObject({ id: fresh.invite.id, state: "active", sections: ["legal"] });
    expect((await requireInvite({ token: fresh.token, need: "answer", clientKey: null })).id).toBe(fresh.invite.id);

    const again = await failure(reissueInvite({ actor: owner, input: { auditId, inviteId: old.invite.id }, mailer: null }));
    expect(again.code).toBe("CONFLICT");
    const trail = await events(auditId);
    expect(trail.map((ev) => ev.action)).toEqual(["audit.created", "invite.created", "invite.reissued"]);
    expect(trail[2]).toMatchObject({ subject: fresh.invite.id, data: { previousInviteId: old.invite.id } });
    expect(JSON.stringify(trail[2]!.data)).not.toContain(fresh.token);
  });

  it("two re-issues at once make one new link, not two", async () => {
    const { owner, auditId, invite } = await setup();
    const old = await invite();
    const results = await Promise.allSettled([1, 2].map(() => reissueInvite({ actor: owner, input: { auditId, inviteId: old.invite.id }, mailer: null })));
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    expect(((results.find((r) => r.status === "rejected") as PromiseRejectedResult).reason as AppError).code).toBe("CONFLICT");
    expect(await getDb().invite.count({ where: { auditId, revokedAt: null } })).toBe(1);
  });

  it("submitted: may view, not answer, until reopened; reopen is recorded; re-issue keeps the submission", async () => {
    const { owner, auditId, invite } = await setup();
    const issued = await invite();
    const ref = { auditId, inviteId: issued.invite.id };
    expect((await failure(reopenInvite({ actor: owner, input: ref }))).code).toBe("CONFLICT"); // not submitted yet
    await getDb().invite.update({ where: { id: issued.invite.id }, data: { submittedAt: new Date() } });

    expect((await requireInvite({ token: issued.token, need: "view", clientKey: null })).state).toBe("submitted");
    const e = await failure(requireInvite({ token: issued.token, need: "answer", clientKey: null }));
    expect(e).toMatchObject({ code: "FORBIDDEN", details: { state: "submitted" } });
    expect(e.message).toMatch(/submitted; read-only until reopened/);

    await reopenInvite({ actor: owner, input: ref });
    expect((await requireInvite({ token: issued.token, need: "answer", clientKey: null })).state).toBe("active");
    expect((await failure(reopenInvite({ actor: owner, input: ref }))).code).toBe("CONFLICT");

    await getDb().invite.update({ where: { id: issued.invite.id }, data: { submittedAt: new Date() } });
    const fresh = await reissueInvite({ actor: owner, input: { auditId, inviteId: issued.invite.id }, mailer: null });
    expect((await resolveInvite(fresh.token))?.state).toBe("submitted");
    expect((await events(auditId)).map((ev) => ev.action)).toEqual(["audit.created", "invite.created", "invite.reopened", "invite.reissued"]);
  });

  it("requireInvite marks the link used, at most once a minute, and returns the audit's questionnaire version", async () => {
    const { owner, auditId, invite } = await setup();
    const issued = await invite();
    const t0 = new Date();
    const ctx = await requireInvite({ token: issued.token, need: "view", clientKey: null, now: t0 });
    const audit = await getDb().audit.findUniqueOrThrow({ where: { id: auditId } });
    expect(ctx).toMatchObject({ auditId, questionnaireVersionId: audit.questionnaireVersionId, providerName: audit.providerName });
    const lastUsed = async () => (await getDb().invite.findUniqueOrThrow({ where: { id: issued.invite.id } })).lastUsedAt;
    expect(await lastUsed()).toEqual(t0);
    await requireInvite({ token: issued.token, need: "view", clientKey: null, now: new Date(t0.getTime() + 30_000) });
    expect(await lastUsed()).toEqual(t0);
    const t2 = new Date(t0.getTime() + 61_000);
    await requireInvite({ token: issued.token, need: "answer", clientKey: null, now: t2 });
    expect(await lastUsed()).toEqual(t2);
    const [listed] = await listInvites({ user: owner, auditId });
    expect(listed).toMatchObject({ id: issued.invite.id, state: "active", lastUsedAt: t2, submittedAt: null });
  });

  it("an unknown or malformed token is NOT_FOUND, and says nothing else", async () => {
    for (const token of [unknownToken(), "short", "x".repeat(500), ""]) {
      const e = await failure(requireInvite({ token, need: "view", clientKey: null }));
      expect(e.code).toBe("NOT_FOUND");
      expect(e.details).toBeUndefined();
    }
  });
});

describe("guessing protection", () => {
  it(`lets ${BAD_TOKEN_LIMIT.attempts} unknown tokens a minute through, refuses the next with a retry time, and never counts a good token`, async () => {
    const { invite } = await setup();
    const good = await invite();
    const key = clientKey();
    for (let i = 0; i < BAD_TOKEN_LIMIT.attempts; i++) {
      expect((await findInvite({ token: unknownToken(), clientKey: key })).kind).toBe("unknown");
      // A good token between the bad ones works and costs nothing.
      if (i % 5 === 0) expect((await findInvite({ token: good.token, clientKey: key })).kind).toBe("found");
    }
    const limited = await findInvite({ token: unknownToken(), clientKey: key });
    expect(limited).toMatchObject({ kind: "limited" });
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    expect((limited as { retryAfterSeconds: number }).retryAfterSeconds).toBeLessThanOrEqual(BAD_TOKEN_LIMIT.perSeconds);
    // Blocked means blocked: not even a good token is looked up, so a blocked guesser learns nothing.
    expect((await findInvite({ token: good.token, clientKey: key })).kind).toBe("limited");
    const e = await failure(requireInvite({ token: good.token, need: "view", clientKey: key }));
    expect(e.code).toBe("RATE_LIMITED");
    expect((e.details as { retryAfterSeconds: number }).retryAfterSeconds).toBeGreaterThan(0);
    // Other clients are not affected.
    expect((await findInvite({ token: good.token, clientKey: clientKey() })).kind).toBe("found");
  });

  it("consumeBadTokenAttempt: 20 allowed, the 21st refused with retryAfterSeconds > 0", async () => {
    const key = clientKey();
    for (let i = 0; i < BAD_TOKEN_LIMIT.attempts; i++) expect(await consumeBadTokenAttempt(key)).toEqual({ allowed: true, retryAfterSeconds: 0 });
    const refused = await consumeBadTokenAttempt(key);
    expect(refused.allowed).toBe(false);
    expect(refused.retryAfterSeconds).toBeGreaterThan(0);
  });

  it("clientIp trusts X-Forwarded-For only as far as TRUST_PROXY says", () => {
    const h = (xff?: string) => new Headers(xff === undefined ? {} : { "x-forwarded-for": xff });
    expect(clientIp(h("198.51.100.9"), 0)).toBe(SHARED_CLIENT_KEY);
    expect(clientIp(h(), 1)).toBe(SHARED_CLIENT_KEY);
    // The client wrote "1.1.1.1" itself; the one proxy appended the real address.
    expect(clientIp(h("1.1.1.1, 198.51.100.9"), 1)).toBe("198.51.100.9");
    expect(clientIp(h("1.1.1.1, 198.51.100.9, 10.0.0.2"), 2)).toBe("198.51.100.9");
    expect(clientIp(h("not-an-ip"), 1)).toBe(SHARED_CLIENT_KEY);
    expect(normaliseIp("2001:db8:aa:bb:1:2:3:4")).toBe("2001:db8:aa:bb::/64");
    expect(normaliseIp("[2001:DB8::1]:443")).toBe("2001:db8:0:0::/64");
    expect(normaliseIp("::ffff:203.0.113.7")).toBe("203.0.113.7");
    expect(normaliseIp("203.0.113.7:51234")).toBe("203.0.113.7");
  });
});
