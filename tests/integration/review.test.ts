import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { saveAnswer } from "@/lib/answers/save-answer";
import { addAttachment } from "@/lib/attachments/add-attachment";
import { deleteAttachment } from "@/lib/attachments/delete-attachment";
import { multipartBody, samplePdf, uploadRequest } from "@/lib/attachments/sample-files";
import { closeAttachmentPool } from "@/lib/attachments/sql";
import { inviteActor, userActor, type TActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { getAudit } from "@/lib/audits/get-audit";
import { openClarification } from "@/lib/clarifications/open-clarification";
import { postClarificationMessage } from "@/lib/clarifications/post-clarification-message";
import { setClarificationStatus } from "@/lib/clarifications/set-clarification-status";
import { getDb } from "@/lib/db";
import { appErrorFromDatabase, sqlStateOf, type AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http/json-route";
import { getRespondentView, missingRequired } from "@/lib/invites/get-respondent-view";
import { resolveInvite } from "@/lib/invites/resolve-invite";
import { submitInvite } from "@/lib/invites/submit-invite";
import { getReview } from "@/lib/review/get-review";
import { rateAnswer } from "@/lib/review/rate-answer";
import { recordVerdict } from "@/lib/review/record-verdict";
import { reopenAudit } from "@/lib/review/reopen-audit";
import { signOffAudit } from "@/lib/review/sign-off-audit";
import { runAction } from "@/lib/server-action";
import { createInviteRow, createTestAudit, createUser } from "../factories";
import { asUser } from "./sessions";
import { events, failure, signOffWhileWaiting } from "./support";

const officerUploadRoute = await import("@/app/api/audits/[auditId]/attachments/route");

// Questions of the Infrastructure Provider questionnaire 1.0.0 (all required unless in an
// optional part), in questionnaire order.
const LOCATIONS = "tech.az.locations";
const PRESENTATION = "tech.az.presentation";
const OFFERED = "tech.services.offered";
const ALL_ZONES = "tech.services.all-zones";
const IAM = "tech.iam.offered";
const IAM_ROLES = "tech.iam.roles";
const UBUNTU = "tech.iaas.ubuntu-images";
const UBUNTU_WHICH = "tech.iaas.ubuntu-images.which";
/** Every question of the environment section, answered. */
const ENV_ANSWERS: [string, string][] = [
  ["env.policies", "ISO 14001 since 2019."],
  ["env.energy-sources", "Hydro and wind, certified."],
  ["env.efficiency", "Free cooling; PUE 1.2."],
  ["env.recycling", "Through a certified recycler."],
  ["env.compensation", "no"],
];

const BASE = "http://assay.test";

afterAll(async () => {
  await closeAttachmentPool();
});

/** An audit with its owner, an officer member, a reviewer member, an admin (no member) and an active provider link. */
async function setup() {
  const owner = await createUser(["OFFICER"], "Olivia Officer");
  const officer = await createUser(["OFFICER"], "Oscar Officer");
  const reviewer = await createUser(["REVIEWER"], "Rita Reviewer");
  const admin = await createUser(["ADMIN"], "Ada Admin");
  const { id: auditId } = await createTestAudit(owner);
  await addAuditMember({ actor: owner, input: { auditId, email: officer.email!, role: "OFFICER" } });
  await addAuditMember({ actor: owner, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
  const { token } = await createInviteRow(auditId, owner.id, { name: "Pat Provider" });
  const invite = (await resolveInvite(token))!;
  return { owner, officer, reviewer, admin, auditId, token, invite };
}

const answer = (actor: TActor, auditId: string, questionId: string, value: string | null, baseRevision = 0) =>
  saveAnswer({ actor, input: { auditId, questionId, value, note: null, baseRevision } });

const rate = (user: TCurrentUser, auditId: string, questionId: string, rating: "ACCEPTABLE" | "NEEDS_CLARIFICATION" | "NOT_ACCEPTABLE" | "NOT_APPLICABLE", note: string | null = null, baseRevision = 0) =>
  rateAnswer({ actor: user, input: { auditId, questionId, rating, note, baseRevision } });

const suitable = (user: TCurrentUser, auditId: string, baseRevision = 0) =>
  recordVerdict({ actor: user, input: { auditId, verdict: "SUITABLE", rationale: "Meets every requirement we rely on.", conditions: [], baseRevision } });

function upload(actor: TActor, auditId: string, fields: Record<string, string> = { evidenceItemId: "certificates" }, gate?: (pulledBytes: number) => Promise<void>) {
  const { request, stats } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, multipartBody(fields, { name: "iso.pdf", data: samplePdf() }), { gate });
  return { result: addAttachment({ actor, auditId, request }), stats };
}

const signedOffReason = (e: AppError) => (e.details as { reason?: string } | undefined)?.reason;

describe("rating answers", () => {
  it("first rating, update, stale → CONFLICT with the current rating; each recorded", async () => {
    const { owner, reviewer, auditId } = await setup();
    await answer(userActor(owner), auditId, LOCATIONS, "Stockholm");

    const first = await rate(reviewer, auditId, LOCATIONS, "ACCEPTABLE", "   ");
    expect(first).toMatchObject({ questionId: LOCATIONS, rating: "ACCEPTABLE", note: null, revision: 1, ratedBy: reviewer.name });
    const second = await rate(reviewer, auditId, LOCATIONS, "NOT_ACCEPTABLE", "  One region only; no second site.  ", 1);
    expect(second).toMatchObject({ rating: "NOT_ACCEPTABLE", note: "One region only; no second site.", revision: 2 });

    for (const stale of [0, 1]) {
      const e = await failure(rate(reviewer, auditId, LOCATIONS, "ACCEPTABLE", null, stale));
      expect(e.code).toBe("CONFLICT");
      expect(e.details).toEqual({ current: { ...second } });
    }
    expect(await getDb().answerRating.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId: LOCATIONS } } })).toMatchObject({
      rating: "NOT_ACCEPTABLE",
      revision: 2,
      ratedById: reviewer.id,
    });

    const rated = (await events(auditId)).filter((e) => e.action === "answer.rated");
    expect(rated.map((e) => [e.subject, e.actorId, e.data])).toEqual([
      [LOCATIONS, reviewer.id, { rating: "ACCEPTABLE", note: null, revision: 1 }],
      [LOCATIONS, reviewer.id, { rating: "NOT_ACCEPTABLE", note: "One region only; no second site.", revision: 2 }],
    ]);
  });

  it("a question outside the audit's questionnaire version is INVALID_INPUT on questionId", async () => {
    const { reviewer, auditId } = await setup();
    const e = await failure(rate(reviewer, auditId, "tech.no-such-question", "ACCEPTABLE"));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.fieldErrors).toEqual({ questionId: 'unknown question "tech.no-such-question"' });
  });

  it("not acceptable and needs clarification need a note; the others do not", async () => {
    const { reviewer, auditId } = await setup();
    for (const rating of ["NOT_ACCEPTABLE", "NEEDS_CLARIFICATION"] as const) {
      for (const note of [null, "", "   "]) {
        const e = await failure(rate(reviewer, auditId, LOCATIONS, rating, note));
        expect(e.code).toBe("INVALID_INPUT");
        expect(Object.keys(e.fieldErrors ?? {})).toEqual(["note"]);
      }
    }
    expect(await getDb().answerRating.count({ where: { auditId } })).toBe(0);
    // Unanswered questions can be rated too ("not applicable" is often about a blank).
    expect((await rate(reviewer, auditId, IAM, "NOT_APPLICABLE")).note).toBeNull();
  });

  it("only reviewers (and admins) rate: officers are FORBIDDEN, non-members NOT_FOUND, a reviewer who lost the role FORBIDDEN", async () => {
    const { owner, officer, reviewer, admin, auditId } = await setup();
    for (const who of [owner, officer]) {
      const e = await failure(rate(who, auditId, LOCATIONS, "ACCEPTABLE"));
      expect(e.code).toBe("FORBIDDEN");
    }
    const outsider = await createUser(["REVIEWER"]);
    expect((await failure(rate(outsider, auditId, LOCATIONS, "ACCEPTABLE"))).code).toBe("NOT_FOUND");
    // An officer who is also a reviewer, but a member as officer, does not review this audit.
    const both = await createUser(["OFFICER", "REVIEWER"]);
    await addAuditMember({ actor: owner, input: { auditId, email: both.email!, role: "OFFICER" } });
    expect((await failure(rate(both, auditId, LOCATIONS, "ACCEPTABLE"))).code).toBe("FORBIDDEN");
    const demoted = { ...reviewer, roles: [] };
    expect((await failure(rate(demoted, auditId, LOCATIONS, "ACCEPTABLE"))).code).toBe("FORBIDDEN");
    expect(await getDb().answerRating.count({ where: { auditId } })).toBe(0);

    expect((await rate(admin, auditId, LOCATIONS, "ACCEPTABLE")).revision).toBe(1);
    expect((await events(auditId)).filter((e) => e.action === "answer.rated")).toHaveLength(1);
  });
});

describe("the verdict", () => {
  it("needs a rationale; conditions only with 'suitable with conditions', and then at least one", async () => {
    const { reviewer, auditId } = await setup();
    const attempt = (input: Partial<Parameters<typeof recordVerdict>[0]["input"]>) =>
      failure(recordVerdict({ actor: reviewer, input: { auditId, verdict: "SUITABLE", rationale: "Fine.", conditions: [], baseRevision: 0, ...input } }));

    expect((await attempt({ rationale: "   " })).fieldErrors).toEqual({ rationale: "explain the verdict" });
    expect((await attempt({ verdict: "SUITABLE_WITH_CONDITIONS" })).fieldErrors).toEqual({ conditions: "add at least one condition" });
    expect((await attempt({ verdict: "SUITABLE_WITH_CONDITIONS", conditions: ["Second region by Q3", "  "] })).fieldErrors).toEqual({
      conditions: "write the condition, or remove it",
    });
    expect((await attempt({ verdict: "NOT_SUITABLE", conditions: ["Anything"] })).fieldErrors).toEqual({
      conditions: "only a suitable-with-conditions verdict has conditions",
    });
    expect((await attempt({ verdict: "MAYBE" as never })).fieldErrors).toEqual({ verdict: "choose a verdict" });
    expect(await getDb().auditVerdict.count({ where: { auditId } })).toBe(0);

    const first = await recordVerdict({
      actor: reviewer,
      input: { auditId, verdict: "SUITABLE_WITH_CONDITIONS", rationale: "  Good, with one gap. ", conditions: [" Second region by Q3 "], baseRevision: 0 },
    });
    expect(first).toMatchObject({ verdict: "SUITABLE_WITH_CONDITIONS", rationale: "Good, with one gap.", conditions: ["Second region by Q3"], revision: 1, decidedBy: reviewer.name });

    const stale = await failure(suitable(reviewer, auditId, 0));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details).toEqual({ current: first });
    const second = await suitable(reviewer, auditId, 1);
    expect(second).toMatchObject({ verdict: "SUITABLE", conditions: [], revision: 2 });

    const recorded = (await events(auditId)).filter((e) => e.action === "verdict.recorded");
    expect(recorded.map((e) => [e.actorId, e.data])).toEqual([
      [reviewer.id, { verdict: "SUITABLE_WITH_CONDITIONS", rationale: "Good, with one gap.", conditions: ["Second region by Q3"], revision: 1 }],
      [reviewer.id, { verdict: "SUITABLE", rationale: "Meets every requirement we rely on.", conditions: [], revision: 2 }],
    ]);
  });

  it("officers cannot record it", async () => {
    const { owner, auditId } = await setup();
    expect((await failure(suitable(owner, auditId))).code).toBe("FORBIDDEN");
  });
});

describe("signing off", () => {
  it("needs a verdict (the one the reviewer saw); an officer is refused; the reviewer signs off once", async () => {
    const { owner, officer, reviewer, auditId } = await setup();
    const none = await failure(signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } }));
    expect(none.code).toBe("INVALID_INPUT");
    expect(none.details).toEqual({ reason: "no_verdict" });

    await suitable(reviewer, auditId);
    for (const who of [owner, officer]) expect((await failure(signOffAudit({ actor: who, input: { auditId, verdictRevision: 1 } }))).code).toBe("FORBIDDEN");
    const changed = await failure(signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 2 } }));
    expect(changed.code).toBe("CONFLICT");
    expect(await getDb().audit.findUniqueOrThrow({ where: { id: auditId }, select: { status: true } })).toEqual({ status: "IN_PROGRESS" });

    const done = await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });
    expect(done).toMatchObject({ auditId, signOffCount: 1 });
    const row = await getDb().audit.findUniqueOrThrow({ where: { id: auditId } });
    expect(row).toMatchObject({ status: "SIGNED_OFF", signedOffById: reviewer.id, signOffCount: 1 });
    expect(row.signedOffAt?.toISOString()).toBe(done.signedOffAt);

    const twice = await failure(signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } }));
    expect(twice.code).toBe("CONFLICT");
    const signed = (await events(auditId)).filter((e) => e.action === "audit.signed_off");
    expect(signed.map((e) => [e.actorId, e.data])).toEqual([[reviewer.id, { signOff: 1, verdict: "SUITABLE", verdictRevision: 1 }]]);
  });

  it("the server action refuses an officer too (what a forced request from the page would hit)", async () => {
    const { owner, reviewer, auditId } = await setup();
    await suitable(reviewer, auditId);
    const result = await runAction("signOffAudit", () => signOffAudit({ actor: owner, input: { auditId, verdictRevision: 1 } }));
    expect(result).toMatchObject({ ok: false, code: "FORBIDDEN" });
    expect((await getDb().audit.findUniqueOrThrow({ where: { id: auditId } })).status).toBe("IN_PROGRESS");
  });
});

describe("a signed-off audit is read-only", () => {
  async function signedOff() {
    const s = await setup();
    await answer(userActor(s.owner), s.auditId, LOCATIONS, "Stockholm");
    await rate(s.reviewer, s.auditId, LOCATIONS, "ACCEPTABLE");
    const before = await upload(userActor(s.owner), s.auditId).result;
    await suitable(s.reviewer, s.auditId);
    await signOffAudit({ actor: s.reviewer, input: { auditId: s.auditId, verdictRevision: 1 } });
    const trail = (await events(s.auditId)).length;
    return { ...s, fileId: before.id, trail };
  }

  it("answers: refused for officers and providers, with nothing written", async () => {
    const { owner, invite, auditId, trail } = await signedOff();
    for (const [actor, questionId, value, base] of [
      [userActor(owner), LOCATIONS, "Oslo", 1],
      [userActor(owner), PRESENTATION, "single-api", 0],
      [inviteActor(invite), LOCATIONS, "Oslo", 1],
      [inviteActor(invite), OFFERED, "VMs", 0],
    ] as const) {
      const e = await failure(answer(actor, auditId, questionId, value, base));
      expect(e.code).toBe("FORBIDDEN");
      expect(signedOffReason(e)).toBe("signed_off");
    }
    const rows = await getDb().answer.findMany({ where: { auditId } });
    expect(rows.map((r) => [r.questionId, r.value, r.revision])).toEqual([[LOCATIONS, "Stockholm", 1]]);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("ratings and the verdict: refused", async () => {
    const { reviewer, admin, auditId, trail } = await signedOff();
    for (const who of [reviewer, admin]) {
      const r = await failure(rate(who, auditId, LOCATIONS, "NOT_ACCEPTABLE", "Too late", 1));
      expect([r.code, signedOffReason(r)]).toEqual(["FORBIDDEN", "signed_off"]);
      const v = await failure(suitable(who, auditId, 1));
      expect([v.code, signedOffReason(v)]).toEqual(["FORBIDDEN", "signed_off"]);
    }
    expect(await getDb().answerRating.findMany({ where: { auditId }, select: { rating: true, revision: true } })).toEqual([{ rating: "ACCEPTABLE", revision: 1 }]);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("attachments: upload and removal refused before a byte of the upload is read", async () => {
    const { owner, invite, auditId, fileId, trail } = await signedOff();
    for (const actor of [userActor(owner), inviteActor(invite)]) {
      const { result, stats } = upload(actor, auditId);
      const e = await failure(result);
      expect([e.code, signedOffReason(e)]).toEqual(["FORBIDDEN", "signed_off"]);
      expect(stats.pulledBytes).toBe(0);
    }
    const removal = await failure(deleteAttachment({ actor: userActor(owner), attachmentId: fileId }));
    expect([removal.code, signedOffReason(removal)]).toEqual(["FORBIDDEN", "signed_off"]);
    expect((await getDb().attachment.findMany({ where: { auditId }, select: { id: true } })).map((a) => a.id)).toEqual([fileId]);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("the database refuses direct changes (SQLSTATE AY002), and that reads as 'signed off', not as a 500", async () => {
    const { auditId } = await signedOff();
    const client = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await client.connect();
    try {
      for (const sql of [
        `UPDATE answer SET value = '"Oslo"' WHERE audit_id = $1`,
        `DELETE FROM answer WHERE audit_id = $1`,
        `UPDATE answer_rating SET note = 'x' WHERE audit_id = $1`,
        `UPDATE audit_verdict SET rationale = 'x' WHERE audit_id = $1`,
        `DELETE FROM attachment WHERE audit_id = $1`,
        `INSERT INTO answer_rating (audit_id, question_id, rating, rated_by_id) SELECT $1, 'tech.az.presentation', 'ACCEPTABLE', signed_off_by_id FROM audit WHERE id = $1`,
      ]) {
        const e = await client.query(sql, [auditId]).then(() => null, (err: pg.DatabaseError) => err);
        expect(e?.code, sql).toBe("AY002");
        expect(appErrorFromDatabase(e)).toMatchObject({ code: "FORBIDDEN", details: { reason: "signed_off" } });
      }
    } finally {
      await client.end();
    }
    // Through Prisma (the app's own client) the same.
    const viaPrisma = await getDb()
      .answer.updateMany({ where: { auditId }, data: { note: "sneaky" } })
      .then(() => null, (e: unknown) => e);
    expect(appErrorFromDatabase(viaPrisma)).toMatchObject({ code: "FORBIDDEN", details: { reason: "signed_off" } });
    const action = await runAction("probe", () => getDb().answer.updateMany({ where: { auditId }, data: { note: "sneaky" } }));
    expect(action).toMatchObject({ ok: false, code: "FORBIDDEN", details: { reason: "signed_off" } });
    const response = jsonError(viaPrisma, "probe");
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ error: { code: "FORBIDDEN", details: { reason: "signed_off" } } });
    expect(await getDb().answer.findMany({ where: { auditId }, select: { value: true, note: true } })).toEqual([{ value: "Stockholm", note: null }]);
  });

  it("an upload that was already past its checks when the audit was signed off is refused as 'signed off' (403), and leaves nothing", async () => {
    const { owner, reviewer, auditId } = await setup();
    await suitable(reviewer, auditId);
    let signed = false;
    // The body's first byte is released only after the sign-off committed: the access check has
    // passed, the attachment row is not written yet.
    const gate = async () => {
      if (signed) return;
      signed = true;
      await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });
    };
    const { request } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, multipartBody({ evidenceItemId: "certificates" }, { name: "iso.pdf", data: samplePdf() }), { gate });
    const res = await officerUploadRoute.POST(await asUser(owner, request), { params: Promise.resolve({ auditId }) });
    expect(signed).toBe(true);
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN", details: { reason: "signed_off" } } });
    expect(await getDb().attachment.count({ where: { auditId } })).toBe(0);
    expect((await events(auditId)).filter((e) => e.action === "attachment.added")).toHaveLength(0);
  });

  it("an upload streaming when the audit is signed off does not hold up the sign-off, and is refused at its end (403), leaving nothing", async () => {
    const { owner, reviewer, auditId } = await setup();
    await suitable(reviewer, auditId);
    // A PDF larger than the 64 KiB sniffed before the upload's transaction starts, sent in pieces.
    const pdf = samplePdf("x".repeat(300_000));
    const pieces = multipartBody({ evidenceItemId: "certificates" }, { name: "big.pdf", data: pdf });
    const fileAt = pieces.findIndex((p) => p === pdf);
    const split = [...pieces.slice(0, fileAt), pdf.subarray(0, 100_000), pdf.subarray(100_000, 200_000), pdf.subarray(200_000), ...pieces.slice(fileAt + 1)];
    const beforeLast = split.slice(0, fileAt + 2).reduce((n, p) => n + p.length, 0);
    const probe = new pg.Client({ connectionString: process.env.DATABASE_URL });
    await probe.connect();
    let signedAt = 0;
    // Before the file's last piece: the upload's transaction has inserted its attachment row
    // (it holds a lock on the audit row through the foreign key) and waits for more bytes.
    const gate = async (pulled: number) => {
      if (signedAt || pulled < beforeLast) return;
      for (let i = 0; i < 200; i++) {
        const { rowCount } = await probe.query(
          `SELECT 1 FROM pg_stat_activity WHERE application_name = 'assay-attachments' AND state = 'idle in transaction' AND query LIKE 'INSERT INTO attachment (%'`,
        );
        if (rowCount) break;
        await new Promise((r) => setTimeout(r, 25));
      }
      await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });
      signedAt = Date.now();
    };
    try {
      const { request } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, split, { gate });
      const res = await officerUploadRoute.POST(await asUser(owner, request), { params: Promise.resolve({ auditId }) });
      expect(signedAt).toBeGreaterThan(0);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: "FORBIDDEN", details: { reason: "signed_off" } } });
    } finally {
      await probe.end();
    }
    expect(await getDb().attachment.count({ where: { auditId } })).toBe(0);
    expect((await events(auditId)).filter((e) => e.action === "attachment.added")).toHaveLength(0);
    expect((await getDb().audit.findUniqueOrThrow({ where: { id: auditId } })).status).toBe("SIGNED_OFF");
  });

  it("submitting through the link: refused, the invite stays unsubmitted, no officer is notified, nothing recorded", async () => {
    const { invite, auditId, trail } = await signedOff();
    // Required questions are still unanswered; the provider is told what matters: it is closed.
    const e = await failure(submitInvite({ invite }));
    expect([e.code, signedOffReason(e)]).toEqual(["FORBIDDEN", "signed_off"]);
    expect(e.message).toBe("This audit is signed off: its answers are read-only until an admin reopens it.");
    // What the provider's page gets from its server action.
    expect(await runAction("submitAnswers", () => submitInvite({ invite }))).toMatchObject({ ok: false, code: "FORBIDDEN", details: { reason: "signed_off" } });
    expect((await getDb().invite.findUniqueOrThrow({ where: { id: invite.id } })).submittedAt).toBeNull();
    expect(await getDb().notification.count({ where: { auditId, kind: "invite.submitted" } })).toBe(0);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("a submit that passed its checks before the sign-off committed is refused under the audit's lock; after a reopen it goes through", async () => {
    const { owner, reviewer, admin, auditId } = await setup();
    // A respondent for the environment section with all of it answered: only the sign-off can stop the submit.
    const { token } = await createInviteRow(auditId, owner.id, { sections: ["env"], name: "Sam Provider" });
    const invite = (await resolveInvite(token))!;
    for (const [questionId, value] of ENV_ANSWERS) await answer(inviteActor(invite), auditId, questionId, value);
    expect(missingRequired(await getRespondentView(invite))).toEqual([]);
    const trail = (await events(auditId)).length;

    const raced = await signOffWhileWaiting(auditId, reviewer.id, () => submitInvite({ invite }));
    expect(raced.status).toBe("rejected");
    const e = (raced as PromiseRejectedResult).reason as AppError;
    expect([e.code, signedOffReason(e), e.message]).toEqual(["FORBIDDEN", "signed_off", "This audit is signed off: its answers are read-only until an admin reopens it."]);
    expect((await getDb().invite.findUniqueOrThrow({ where: { id: invite.id } })).submittedAt).toBeNull();
    expect(await getDb().notification.count({ where: { auditId, kind: "invite.submitted" } })).toBe(0);
    expect(await events(auditId)).toHaveLength(trail);

    // The sign-off was all that stood in the way.
    await reopenAudit({ actor: admin, input: { auditId, reason: "Sam's section was not in yet." } });
    await submitInvite({ invite });
    expect((await getDb().invite.findUniqueOrThrow({ where: { id: invite.id } })).submittedAt).not.toBeNull();
    expect(await getDb().notification.count({ where: { auditId, kind: "invite.submitted" } })).toBe(2); // the owner and the officer
    expect((await events(auditId)).filter((ev) => ev.action === "invite.submitted")).toHaveLength(1);
  });
});

describe("a signed-off audit's clarifications are read-only", () => {
  /** A signed-off audit with one OPEN thread, asked before the sign-off. */
  async function signedOffWithThread() {
    const s = await setup();
    const thread = await openClarification({ actor: s.owner, input: { auditId: s.auditId, questionId: LOCATIONS, body: "Which sites exactly?" } });
    await suitable(s.reviewer, s.auditId);
    await signOffAudit({ actor: s.reviewer, input: { auditId: s.auditId, verdictRevision: 1 } });
    return { ...s, threadId: thread.id, trail: (await events(s.auditId)).length };
  }

  /** Every thread of the audit with its status and messages, as stored. */
  const threads = (auditId: string) =>
    getDb().clarification.findMany({
      where: { auditId },
      orderBy: { createdAt: "asc" },
      select: { id: true, status: true, updatedAt: true, messages: { orderBy: { createdAt: "asc" }, select: { id: true, body: true, internal: true } } },
    });

  const post = (actor: TActor, clarificationId: string, body: string, internal = false) => postClarificationMessage({ actor, input: { clarificationId, body, internal } });

  it("opening, posting (officer, reviewer, provider) and changing the status are refused, with nothing written", async () => {
    const { owner, officer, reviewer, admin, invite, auditId, threadId, trail } = await signedOffWithThread();
    const before = await threads(auditId);
    expect(before).toHaveLength(1);
    const attempts: [string, () => Promise<unknown>][] = [
      ["owner opens", () => openClarification({ actor: owner, input: { auditId, questionId: PRESENTATION, body: "Which API?" } })],
      ["admin opens", () => openClarification({ actor: admin, input: { auditId, questionId: PRESENTATION, body: "Which API?" } })],
      ["owner writes to the provider", () => post(userActor(owner), threadId, "Is there a third site?")],
      ["officer adds a note", () => post(userActor(officer), threadId, "They dodged this last year.", true)],
      ["reviewer adds a note", () => post(userActor(reviewer), threadId, "Contradicts the SoA.", true)],
      ["provider replies", () => post(inviteActor(invite), threadId, "Stockholm and Malmö.")],
      ["owner resolves", () => setClarificationStatus({ actor: owner, input: { clarificationId: threadId, status: "RESOLVED" } })],
      // It is OPEN already: that would change nothing, and is refused all the same.
      ["owner reopens", () => setClarificationStatus({ actor: owner, input: { clarificationId: threadId, status: "OPEN" } })],
    ];
    for (const [who, attempt] of attempts) {
      const e = await failure(attempt());
      expect([e.code, signedOffReason(e), e.message], who).toEqual(["FORBIDDEN", "signed_off", "This audit is signed off: its clarifications are read-only until an admin reopens it."]);
    }
    // What the provider's page gets from the reply action.
    expect(await runAction("replyToClarification", () => post(inviteActor(invite), threadId, "Stockholm and Malmö."))).toMatchObject({
      ok: false,
      code: "FORBIDDEN",
      details: { reason: "signed_off" },
    });
    expect(await threads(auditId)).toEqual(before);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("a provider's reply that passed its checks before the sign-off committed is refused under the audit's lock", async () => {
    const { owner, reviewer, invite, auditId } = await setup();
    const { id: threadId } = await openClarification({ actor: owner, input: { auditId, questionId: LOCATIONS, body: "Which sites exactly?" } });
    const before = await threads(auditId);
    const trail = (await events(auditId)).length;
    const raced = await signOffWhileWaiting(auditId, reviewer.id, () => post(inviteActor(invite), threadId, "Stockholm and Malmö."));
    expect(raced.status).toBe("rejected");
    const e = (raced as PromiseRejectedResult).reason as AppError;
    expect([e.code, signedOffReason(e)]).toEqual(["FORBIDDEN", "signed_off"]);
    expect(await threads(auditId)).toEqual(before);
    expect(await events(auditId)).toHaveLength(trail);
  });

  it("the database refuses direct changes to threads and messages (SQLSTATE AY002), which read as 'signed off'", async () => {
    const { owner, auditId, threadId } = await signedOffWithThread();
    const before = await threads(auditId);
    const db = getDb();
    const writes = [
      db.$executeRaw`INSERT INTO clarification_message (id, clarification_id, body, author_id) VALUES (gen_random_uuid(), ${threadId}::uuid, 'Added later.', ${owner.id}::uuid)`,
      db.$executeRaw`UPDATE clarification_message SET body = 'Rewritten.' WHERE clarification_id = ${threadId}::uuid`,
      db.$executeRaw`DELETE FROM clarification_message WHERE clarification_id = ${threadId}::uuid`,
      db.$executeRaw`INSERT INTO clarification (id, audit_id, question_id, created_by_id) VALUES (gen_random_uuid(), ${auditId}::uuid, ${PRESENTATION}, ${owner.id}::uuid)`,
      db.$executeRaw`UPDATE clarification SET status = 'RESOLVED' WHERE id = ${threadId}::uuid`,
      db.$executeRaw`DELETE FROM clarification WHERE id = ${threadId}::uuid`,
    ];
    for (const write of writes) {
      const e = await write.then(() => null, (err: unknown) => err);
      expect(sqlStateOf(e)).toBe("AY002");
      expect(appErrorFromDatabase(e)).toMatchObject({ code: "FORBIDDEN", details: { reason: "signed_off" } });
    }
    expect(await threads(auditId)).toEqual(before);
  });

  it("after an admin reopens the audit, its threads take messages and status changes again", async () => {
    const { owner, admin, invite, auditId, threadId } = await signedOffWithThread();
    await reopenAudit({ actor: admin, input: { auditId, reason: "The provider found a third site." } });
    expect((await post(inviteActor(invite), threadId, "Stockholm, Malmö and Oslo.")).status).toBe("ANSWERED");
    expect((await setClarificationStatus({ actor: owner, input: { clarificationId: threadId, status: "RESOLVED" } })).status).toBe("RESOLVED");
    expect((await openClarification({ actor: owner, input: { auditId, questionId: PRESENTATION, body: "Which API?" } })).status).toBe("OPEN");
    const recorded = (await events(auditId)).map((e) => e.action).slice(-4);
    expect(recorded).toEqual(["audit.reopened", "clarification.message_posted", "clarification.resolved", "clarification.opened"]);
  });
});

describe("reopening", () => {
  it("only an admin, with a reason; it unlocks, is recorded, notifies the owner, and keeps the sign-off count", async () => {
    const { owner, officer, reviewer, admin, auditId } = await setup();
    await suitable(reviewer, auditId);
    await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });

    for (const who of [owner, officer, reviewer]) {
      const e = await failure(reopenAudit({ actor: who, input: { auditId, reason: "Please" } }));
      expect(e.code).toBe("FORBIDDEN");
    }
    const outsider = await createUser(["OFFICER"]);
    expect((await failure(reopenAudit({ actor: outsider, input: { auditId, reason: "Please" } }))).code).toBe("NOT_FOUND");
    const noReason = await failure(reopenAudit({ actor: admin, input: { auditId, reason: "  " } }));
    expect(noReason.fieldErrors).toEqual({ reason: "say why the audit is reopened" });
    expect((await getDb().audit.findUniqueOrThrow({ where: { id: auditId } })).status).toBe("SIGNED_OFF");

    await reopenAudit({ actor: admin, input: { auditId, reason: " The provider sent a new ISO certificate. " } });
    const row = await getDb().audit.findUniqueOrThrow({ where: { id: auditId } });
    expect(row).toMatchObject({ status: "IN_PROGRESS", signedOffAt: null, signedOffById: null, signOffCount: 1 });
    const reopened = (await events(auditId)).filter((e) => e.action === "audit.reopened");
    expect(reopened.map((e) => [e.actorId, e.data])).toEqual([[admin.id, { reason: "The provider sent a new ISO certificate.", signOff: 1 }]]);
    const notes = await getDb().notification.findMany({ where: { auditId, kind: "audit.reopened" } });
    expect(notes.map((n) => n.userId)).toEqual([owner.id]);
    expect(notes[0]!.message).toContain("The provider sent a new ISO certificate.");

    expect((await failure(reopenAudit({ actor: admin, input: { auditId, reason: "Again" } }))).code).toBe("CONFLICT");
    // Open again: answers, ratings and the verdict change; the next sign-off is the second.
    await answer(userActor(owner), auditId, LOCATIONS, "Stockholm and Oslo");
    await rate(reviewer, auditId, LOCATIONS, "ACCEPTABLE");
    await suitable(reviewer, auditId, 1);
    expect((await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 2 } })).signOffCount).toBe(2);
  });
});

describe("what a provider sees", () => {
  it("never ratings, their notes or the verdict; only that the audit is signed off", async () => {
    const { owner, reviewer, auditId, invite } = await setup();
    await answer(userActor(owner), auditId, LOCATIONS, "Stockholm");
    await rate(reviewer, auditId, LOCATIONS, "NOT_ACCEPTABLE", "RATING-NOTE-MARKER");
    await recordVerdict({
      actor: reviewer,
      input: { auditId, verdict: "SUITABLE_WITH_CONDITIONS", rationale: "RATIONALE-MARKER", conditions: ["CONDITION-MARKER"], baseRevision: 0 },
    });
    const open = await getRespondentView(invite);
    expect(open.signedOff).toBe(false);
    await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });

    const view = await getRespondentView(invite);
    expect(view.signedOff).toBe(true);
    expect(view.answers[LOCATIONS]).toMatchObject({ value: "Stockholm", note: null, updatedBy: null });
    const text = JSON.stringify(view);
    for (const secret of ["RATING-NOTE-MARKER", "RATIONALE-MARKER", "CONDITION-MARKER", "NOT_ACCEPTABLE", "SUITABLE", reviewer.name!]) {
      expect(text).not.toContain(secret);
    }
    expect(Object.keys(view).sort()).toEqual(["answers", "progress", "providerName", "questionnaire", "scope", "signedOff", "title"]);
  });
});

describe("the review page's data", () => {
  it("counts by rating, open clarifications, evidence, and what needs attention first, in order", async () => {
    const { owner, reviewer, admin, auditId } = await setup();
    const officer = userActor(owner);
    await answer(officer, auditId, LOCATIONS, "Stockholm");
    await answer(officer, auditId, PRESENTATION, "single-api");
    await answer(officer, auditId, OFFERED, "VMs, object storage");
    await answer(officer, auditId, ALL_ZONES, "yes");
    await answer(officer, auditId, UBUNTU, "yes");
    await rate(reviewer, auditId, UBUNTU_WHICH, "ACCEPTABLE"); // shown now; hidden below
    await answer(officer, auditId, UBUNTU, "no", 1);
    await rate(reviewer, auditId, LOCATIONS, "NOT_ACCEPTABLE", "One region only.");
    await rate(reviewer, auditId, PRESENTATION, "NEEDS_CLARIFICATION", "Which API is authoritative?");
    await rate(reviewer, auditId, OFFERED, "ACCEPTABLE");
    await rate(reviewer, auditId, IAM, "NOT_APPLICABLE"); // unanswered, but settled by the reviewer
    await openClarification({ actor: owner, input: { auditId, questionId: PRESENTATION, body: "Which API?" } });

    const review = await getReview({ user: reviewer, auditId });
    const { progress } = await getAudit({ user: owner, auditId });
    expect(review.counts).toEqual({
      ACCEPTABLE: 1, // the hidden follow-up's rating is kept, not counted
      NEEDS_CLARIFICATION: 1,
      NOT_ACCEPTABLE: 1,
      NOT_APPLICABLE: 1,
      visible: progress.overall.visible,
      answered: 5,
      unratedAnswered: 2,
      unansweredRequired: progress.overall.required - progress.overall.requiredAnswered,
    });
    expect(review.clarifications).toEqual({ open: 1, overdue: 0 });
    expect(review.evidence.counts.missing).toBe(review.evidence.items.length);

    const order = ["NOT_ACCEPTABLE", "NEEDS_CLARIFICATION", "UNANSWERED_REQUIRED", "UNRATED"];
    const reasons = review.attention.map((a) => order.indexOf(a.reason));
    expect(reasons).toEqual([...reasons].sort((a, b) => a - b));
    expect(review.attention.slice(0, 2).map((a) => [a.questionId, a.reason])).toEqual([
      [LOCATIONS, "NOT_ACCEPTABLE"],
      [PRESENTATION, "NEEDS_CLARIFICATION"],
    ]);
    expect(review.attention.slice(-2).map((a) => [a.questionId, a.reason])).toEqual([
      [ALL_ZONES, "UNRATED"],
      [UBUNTU, "UNRATED"],
    ]);
    const unanswered = review.attention.filter((a) => a.reason === "UNANSWERED_REQUIRED").map((a) => a.questionId);
    expect(unanswered).toHaveLength(review.counts.unansweredRequired - 1); // IAM is rated
    expect(unanswered).not.toContain(IAM);
    expect(unanswered).not.toContain(UBUNTU_WHICH);
    expect(unanswered.indexOf(IAM_ROLES)).toBe(0);

    const tech = review.sections.find((s) => s.id === "tech")!;
    const row = (id: string) => tech.questions.find((q) => q.id === id);
    expect(row(PRESENTATION)).toMatchObject({ openClarifications: 1, answered: true, rating: { rating: "NEEDS_CLARIFICATION" }, attention: "NEEDS_CLARIFICATION" });
    expect(row(UBUNTU_WHICH)).toBeUndefined();
    expect(row("tech.iaas.anti-affinity")).toMatchObject({ depth: 0 });
    expect(review.verdict).toBeNull();

    expect(review.can).toEqual({ rate: true, recordVerdict: true, signOff: true, reopen: false });
    expect((await getReview({ user: owner, auditId })).can).toEqual({ rate: false, recordVerdict: false, signOff: false, reopen: false });
    expect((await getReview({ user: admin, auditId })).can).toEqual({ rate: true, recordVerdict: true, signOff: true, reopen: false });

    await suitable(reviewer, auditId);
    await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: 1 } });
    const after = await getReview({ user: reviewer, auditId });
    expect(after.audit).toMatchObject({ status: "SIGNED_OFF", signedOffBy: reviewer.name, signOffCount: 1 });
    expect(after.verdict).toMatchObject({ verdict: "SUITABLE", revision: 1 });
    expect(after.can).toEqual({ rate: false, recordVerdict: false, signOff: false, reopen: false });
    expect((await getReview({ user: admin, auditId })).can).toEqual({ rate: false, recordVerdict: false, signOff: false, reopen: true });
  });

  it("a non-member gets NOT_FOUND", async () => {
    const { auditId } = await setup();
    const outsider = await createUser(["REVIEWER"]);
    expect((await failure(getReview({ user: outsider, auditId }))).code).toBe("NOT_FOUND");
  });
});
