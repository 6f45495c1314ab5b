import { describe, expect, it } from "vitest";
import { inviteActor, userActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { todayUtc } from "@/lib/clarifications/due-date";
import { listClarifications } from "@/lib/clarifications/list-clarifications";
import { listProviderClarifications } from "@/lib/clarifications/list-provider-clarifications";
import { openClarification } from "@/lib/clarifications/open-clarification";
import { postClarificationMessage } from "@/lib/clarifications/post-clarification-message";
import { setClarificationStatus } from "@/lib/clarifications/set-clarification-status";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { resolveInvite, type TInviteContext } from "@/lib/invites/resolve-invite";
import { createInviteRow, createTestAudit, createUser, type TInviteRowOptions } from "../factories";
import { events, failure } from "./support";

// Questions of the Infrastructure Provider questionnaire 1.0.0, in two sections.
const TECH_Q = "tech.az.locations";
const ORG_Q = "org.iso27001";

const messages = (clarificationId: string) => getDb().clarificationMessage.findMany({ where: { clarificationId }, orderBy: { createdAt: "asc" } });

/**
 * An invite row for a provider contact, as the invite feature will create it, and its context
 * as resolved from the link's token. Kept here (not in tests/factories) while invites are
 * being built elsewhere.
 */
async function createInvite(
  auditId: string,
  createdBy: TCurrentUser,
  options: TInviteRowOptions = {},
): Promise<{ token: string; invite: TInviteContext }> {
  const { token } = await createInviteRow(auditId, createdBy.id, options);
  const invite = await resolveInvite(token);
  if (!invite) throw new Error("the invite just created does not resolve");
  return { token, invite };
}

/** An audit with an owner, a reviewer member and a provider invite for the `tech` section. */
async function setup() {
  const owner = await createUser(["OFFICER"], "Olivia Officer");
  const reviewer = await createUser(["REVIEWER"], "Rita Reviewer");
  const { id: auditId } = await createTestAudit(owner);
  await addAuditMember({ actor: owner, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
  const provider = await createInvite(auditId, owner, { sections: ["tech"], name: "Pat Provider" });
  return { owner, reviewer, auditId, provider };
}

function dayOffset(days: number): string {
  return new Date(Date.now() + days * 24 * 60 * 60 * 1000).toISOString().slice(0, 10);
}

describe("a clarification thread", () => {
  it("open → provider replies (ANSWERED) → officer asks again (OPEN) → resolved → reopened, each recorded", async () => {
    const { owner, auditId, provider } = await setup();
    const opened = await openClarification({
      actor: owner,
      input: { auditId, questionId: TECH_Q, body: "  Which sites exactly, and how far apart?  ", dueOn: todayUtc() },
    });
    expect(opened).toMatchObject({ auditId, questionId: TECH_Q, sectionId: "tech", status: "OPEN" });

    const seen = await listProviderClarifications({ invite: provider.invite });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ id: opened.id, status: "OPEN", dueOn: todayUtc(), overdue: false, sectionId: "tech" });
    expect(seen[0]!.messages).toEqual([
      { id: expect.any(String), body: "Which sites exactly, and how far apart?", createdAt: expect.any(String), author: { kind: "auditor", name: owner.name } },
    ]);

    const reply = await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: opened.id, body: "Stockholm and Malmö, 600 km." } });
    expect(reply.status).toBe("ANSWERED");
    // A second reply keeps it ANSWERED.
    expect((await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: opened.id, body: "Both Tier III." } })).status).toBe("ANSWERED");

    const again = await postClarificationMessage({ actor: userActor(owner), input: { clarificationId: opened.id, body: "Is there a third site for quorum?" } });
    expect(again.status).toBe("OPEN");

    expect(await setClarificationStatus({ actor: owner, input: { clarificationId: opened.id, status: "RESOLVED" } })).toMatchObject({ status: "RESOLVED" });
    // Resolving twice changes nothing and records nothing.
    await setClarificationStatus({ actor: owner, input: { clarificationId: opened.id, status: "RESOLVED" } });

    // A resolved thread takes no visible messages, from either side; internal notes are fine.
    expect((await failure(postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: opened.id, body: "One more thing" } }))).code).toBe("CONFLICT");
    expect((await failure(postClarificationMessage({ actor: userActor(owner), input: { clarificationId: opened.id, body: "And?" } }))).code).toBe("CONFLICT");
    const note = await postClarificationMessage({ actor: userActor(owner), input: { clarificationId: opened.id, body: "Settled in the call.", internal: true } });
    expect(note.status).toBe("RESOLVED");

    await setClarificationStatus({ actor: owner, input: { clarificationId: opened.id, status: "OPEN" } });
    expect((await getDb().clarification.findUniqueOrThrow({ where: { id: opened.id } })).status).toBe("OPEN");

    const rows = await messages(opened.id);
    expect(rows.map((m) => [m.body, m.internal, m.authorId !== null, m.authorInviteId])).toEqual([
      ["Which sites exactly, and how far apart?", false, true, null],
      ["Stockholm and Malmö, 600 km.", false, false, provider.invite.id],
      ["Both Tier III.", false, false, provider.invite.id],
      ["Is there a third site for quorum?", false, true, null],
      ["Settled in the call.", true, true, null],
    ]);

    const trail = (await events(auditId)).filter((e) => e.action.startsWith("clarification."));
    expect(trail.map((e) => [e.action, e.subject, e.actorId, e.inviteId])).toEqual([
      ["clarification.opened", TECH_Q, owner.id, null],
      ["clarification.message_posted", TECH_Q, null, provider.invite.id],
      ["clarification.message_posted", TECH_Q, null, provider.invite.id],
      ["clarification.message_posted", TECH_Q, owner.id, null],
      ["clarification.resolved", TECH_Q, owner.id, null],
      ["clarification.message_posted", TECH_Q, owner.id, null],
      ["clarification.reopened", TECH_Q, owner.id, null],
    ]);
    expect(trail[1]!.data).toMatchObject({ clarificationId: opened.id, internal: false, status: { from: "OPEN", to: "ANSWERED" } });
    expect(trail[2]!.data).not.toHaveProperty("status");
    expect(trail[3]!.data).toMatchObject({ status: { from: "ANSWERED", to: "OPEN" } });
  });

  it("members see every message, internal notes included, with provider replies by name", async () => {
    const { owner, reviewer, auditId, provider } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    await postClarificationMessage({ actor: userActor(reviewer), input: { clarificationId: id, body: "Ask about the quorum site.", internal: true } });
    await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: id, body: "Two sites." } });
    for (const user of [owner, reviewer]) {
      const [thread] = await listClarifications({ user, auditId });
      expect(thread!.createdBy).toBe(owner.name);
      expect(thread!.messages.map((m) => [m.body, m.internal, m.author])).toEqual([
        ["Which sites?", false, { kind: "member", name: owner.name }],
        ["Ask about the quorum site.", true, { kind: "member", name: reviewer.name }],
        ["Two sites.", false, { kind: "provider", name: "Pat Provider" }],
      ]);
    }
  });
});

describe("races", () => {
  it("a provider's reply racing an officer's \"resolve\" never leaves a resolved thread reopened behind the officer", async () => {
    const { owner, auditId, provider } = await setup();
    for (let i = 0; i < 5; i++) {
      const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: `Race ${i}` } });
      const [resolve, reply] = await Promise.allSettled([
        setClarificationStatus({ actor: owner, input: { clarificationId: id, status: "RESOLVED" } }),
        postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: id, body: "Here you go." } }),
      ]);
      const final = (await getDb().clarification.findUniqueOrThrow({ where: { id } })).status;
      const replies = (await messages(id)).length - 1;
      if (resolve.status === "fulfilled") expect(final).toBe("RESOLVED");
      else expect((resolve.reason as AppError).code).toBe("CONFLICT");
      if (reply.status === "fulfilled") expect(replies).toBe(1);
      else expect([(reply.reason as AppError).code, replies]).toEqual(["CONFLICT", 0]);
      // Someone won, and what is stored says who.
      expect(resolve.status === "fulfilled" || reply.status === "fulfilled").toBe(true);
      expect(final).toBe(resolve.status === "fulfilled" ? "RESOLVED" : "ANSWERED");
    }
  });
});

describe("internal notes and the provider", () => {
  it("the provider's listing never carries internal notes, nor other respondents' or officers' contact data", async () => {
    const { owner, reviewer, auditId, provider } = await setup();
    const colleague = await createInvite(auditId, owner, { sections: ["tech"], name: "Casey Colleague" });
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    await postClarificationMessage({ actor: userActor(owner), input: { clarificationId: id, body: "INTERNAL-officer: they dodged this last year", internal: true } });
    await postClarificationMessage({ actor: userActor(reviewer), input: { clarificationId: id, body: "INTERNAL-reviewer: check the SoA", internal: true } });
    await postClarificationMessage({ actor: inviteActor(colleague.invite), input: { clarificationId: id, body: "Stockholm." } });
    await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: id, body: "And Malmö." } });

    const listing = await listProviderClarifications({ invite: provider.invite });
    const text = JSON.stringify(listing);
    expect(text).not.toContain("INTERNAL-");
    for (const secret of [owner.email!, reviewer.email!, colleague.invite.email, colleague.invite.name, "internal"]) expect(text).not.toContain(secret);
    expect(listing[0]!.messages.map((m) => [m.body, m.author])).toEqual([
      ["Which sites?", { kind: "auditor", name: owner.name }],
      ["Stockholm.", { kind: "provider", name: "Provider" }],
      ["And Malmö.", { kind: "you", name: "You" }],
    ]);
    // …while both notes are there for the members.
    const members = await listClarifications({ user: owner, auditId });
    expect(members[0]!.messages.filter((m) => m.internal)).toHaveLength(2);
  });

  it("a provider cannot write an internal note: the operation refuses, and so does the database", async () => {
    const { owner, auditId, provider } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    const before = await events(auditId);

    const e = await failure(postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: id, body: "psst", internal: true } }));
    expect(e.code).toBe("FORBIDDEN");
    expect(await messages(id)).toHaveLength(1);
    expect((await getDb().clarification.findUniqueOrThrow({ where: { id } })).status).toBe("OPEN");
    expect(await events(auditId)).toHaveLength(before.length);

    // Even a bug that skipped the check could not store it: CHECK clarification_message_internal_by_user.
    await expect(getDb().clarificationMessage.create({ data: { clarificationId: id, body: "psst", internal: true, authorInviteId: provider.invite.id } })).rejects.toThrow(
      /clarification_message_internal_by_user/,
    );
    // …nor a message with two authors, or none (CHECK clarification_message_one_author).
    await expect(getDb().clarificationMessage.create({ data: { clarificationId: id, body: "x", authorId: owner.id, authorInviteId: provider.invite.id } })).rejects.toThrow(
      /clarification_message_one_author/,
    );
    expect(await messages(id)).toHaveLength(1);
  });
});

describe("who reaches a thread", () => {
  it("a provider cannot reach a thread of a section not delegated to them, or of another audit", async () => {
    const { owner, auditId, provider } = await setup();
    const techThread = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    const orgThread = await openClarification({ actor: owner, input: { auditId, questionId: ORG_Q, body: "Which certification body?" } });

    // The `tech` respondent: the org thread is not listed and cannot be replied to.
    expect((await listProviderClarifications({ invite: provider.invite })).map((t) => t.id)).toEqual([techThread.id]);
    const notDelegated = await failure(postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: orgThread.id, body: "x" } }));
    expect(notDelegated.code).toBe("NOT_FOUND");

    // An invite with no sections listed has every section.
    const everything = await createInvite(auditId, owner);
    expect((await listProviderClarifications({ invite: everything.invite })).map((t) => t.id).sort()).toEqual([techThread.id, orgThread.id].sort());

    // A respondent of another audit reaches nothing of this one.
    const other = await setup();
    for (const clarificationId of [techThread.id, orgThread.id]) {
      const e = await failure(postClarificationMessage({ actor: inviteActor(other.provider.invite), input: { clarificationId, body: "x" } }));
      expect(e.code).toBe("NOT_FOUND");
    }
    // Their listing is of their own audit: the query is scoped by the invite, there is no audit id to pass.
    await openClarification({ actor: other.owner, input: { auditId: other.auditId, questionId: TECH_Q, body: "Theirs" } });
    expect((await listProviderClarifications({ invite: other.provider.invite })).map((t) => t.messages[0]!.body)).toEqual(["Theirs"]);
    expect(await messages(orgThread.id)).toHaveLength(1);
    expect(await messages(techThread.id)).toHaveLength(1);
  });

  it("an expired or revoked link can do nothing; a submitted one still reads and answers its threads", async () => {
    const { owner, auditId } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    for (const state of ["expired", "revoked"] as const) {
      const { invite } = await createInvite(auditId, owner, { [state]: true });
      expect(invite.state).toBe(state);
      expect((await failure(listProviderClarifications({ invite }))).code).toBe("FORBIDDEN");
      expect((await failure(postClarificationMessage({ actor: inviteActor(invite), input: { clarificationId: id, body: "x" } }))).code).toBe("FORBIDDEN");
    }
    const submitted = await createInvite(auditId, owner, { submitted: true });
    expect((await listProviderClarifications({ invite: submitted.invite })).map((t) => t.id)).toEqual([id]);
    await postClarificationMessage({ actor: inviteActor(submitted.invite), input: { clarificationId: id, body: "Two sites, see the attached list." } });
    expect(await messages(id)).toHaveLength(2);
  });

  it("a user who is not a member gets NOT_FOUND for everything, as for a thread that does not exist", async () => {
    const { owner, auditId } = await setup();
    const stranger = await createUser(["OFFICER", "REVIEWER"]);
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    const missing = "00000000-0000-4000-8000-000000000000";
    const attempts = [
      openClarification({ actor: stranger, input: { auditId, questionId: TECH_Q, body: "x" } }),
      listClarifications({ user: stranger, auditId }),
      postClarificationMessage({ actor: userActor(stranger), input: { clarificationId: id, body: "x" } }),
      postClarificationMessage({ actor: userActor(stranger), input: { clarificationId: id, body: "x", internal: true } }),
      setClarificationStatus({ actor: stranger, input: { clarificationId: id, status: "RESOLVED" } }),
      postClarificationMessage({ actor: userActor(owner), input: { clarificationId: missing, body: "x", internal: true } }),
      setClarificationStatus({ actor: owner, input: { clarificationId: missing, status: "RESOLVED" } }),
    ];
    const errors = await Promise.all(attempts.map((p) => failure(p)));
    expect(errors.map((e) => e.code)).toEqual(Array(attempts.length).fill("NOT_FOUND"));
    // The same words whether the thread exists or not.
    expect(errors[2]!.message).toBe(errors[5]!.message);
    expect(await messages(id)).toHaveLength(1);
    expect(await getDb().clarification.count({ where: { auditId } })).toBe(1);
  });

  it("a reviewer adds internal notes but cannot open, write to the provider, resolve or reopen", async () => {
    const { owner, reviewer, auditId } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });

    const note = await postClarificationMessage({ actor: userActor(reviewer), input: { clarificationId: id, body: "The answer contradicts the SoA.", internal: true } });
    expect(note.status).toBe("OPEN");

    const refused = await Promise.all([
      failure(openClarification({ actor: reviewer, input: { auditId, questionId: TECH_Q, body: "x" } })),
      failure(postClarificationMessage({ actor: userActor(reviewer), input: { clarificationId: id, body: "x" } })),
      failure(setClarificationStatus({ actor: reviewer, input: { clarificationId: id, status: "RESOLVED" } })),
    ]);
    expect(refused.map((e) => e.code)).toEqual(["FORBIDDEN", "FORBIDDEN", "FORBIDDEN"]);
    expect(refused[1]!.fieldErrors).toEqual({ internal: "only officers write to the provider" });
    expect((await messages(id)).map((m) => [m.body, m.internal, m.authorId])).toEqual([
      ["Which sites?", false, owner.id],
      ["The answer contradicts the SoA.", true, reviewer.id],
    ]);
    expect(await getDb().clarification.count({ where: { auditId } })).toBe(1);
  });
});

describe("the order of threads", () => {
  it("open first (overdue first, then by due date, undated last, oldest first), then answered, then resolved — for members and providers alike", async () => {
    const { owner, auditId, provider } = await setup();
    const open = (body: string, dueOn?: string) => openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body, dueOn } });
    const undatedOld = await open("undated, older");
    const undatedNew = await open("undated, newer");
    const later = await open("due in 10 days", dayOffset(10));
    const soon = await open("due in 2 days", dayOffset(2));
    const overdue = await open("overdue", dayOffset(3));
    // A due date in the past cannot be entered; it happens when time passes.
    await getDb().clarification.update({ where: { id: overdue.id }, data: { dueOn: new Date(`${dayOffset(-3)}T00:00:00Z`) } });
    const answered = await open("answered", dayOffset(1));
    await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: answered.id, body: "Done." } });
    const resolved = await open("resolved", dayOffset(1));
    await setClarificationStatus({ actor: owner, input: { clarificationId: resolved.id, status: "RESOLVED" } });

    const expected = [overdue.id, soon.id, later.id, undatedOld.id, undatedNew.id, answered.id, resolved.id];
    const members = await listClarifications({ user: owner, auditId });
    expect(members.map((t) => t.id)).toEqual(expected);
    expect(members.map((t) => t.overdue)).toEqual([true, false, false, false, false, false, false]);
    expect((await listProviderClarifications({ invite: provider.invite })).map((t) => t.id)).toEqual(expected);
  });
});

describe("bad input", () => {
  it.each([
    ["an empty message", { body: "   " }, { body: "write a message" }],
    ["a message over 10,000 characters", { body: "x".repeat(10_001) }, { body: "keep it under 10,000 characters" }],
    ["a due date in the past", { dueOn: "2020-01-01" }, { dueOn: "pick today or a later date" }],
    ["a date that does not exist", { dueOn: "2031-02-30" }, { dueOn: "enter a date" }],
    ["an unknown question", { questionId: "tech.nope" }, { questionId: 'unknown question "tech.nope"' }],
    ["a question of another questionnaire", { questionId: "fr1.sr1-1.identify-users" }, { questionId: 'unknown question "fr1.sr1-1.identify-users"' }],
  ])("opening with %s is refused field by field and writes nothing", async (_, patch, fieldErrors) => {
    const { owner, auditId } = await setup();
    const before = await events(auditId);
    const e = await failure(openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?", ...patch } }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.fieldErrors).toEqual(fieldErrors);
    expect(await getDb().clarification.count({ where: { auditId } })).toBe(0);
    expect(await events(auditId)).toHaveLength(before.length);
  });

  it("a message is 1 to 10,000 characters after trimming; anything else is refused and nothing is written", async () => {
    const { owner, auditId, provider } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    const before = await events(auditId);
    for (const [actor, body] of [
      [userActor(owner), ""],
      [userActor(owner), "x".repeat(10_001)],
      [inviteActor(provider.invite), " \n "],
      [inviteActor(provider.invite), "x".repeat(10_001)],
    ] as const) {
      const e = await failure(postClarificationMessage({ actor, input: { clarificationId: id, body } }));
      expect(e.code).toBe("INVALID_INPUT");
      expect(Object.keys(e.fieldErrors ?? {})).toEqual(["body"]);
    }
    expect(await messages(id)).toHaveLength(1);
    expect((await getDb().clarification.findUniqueOrThrow({ where: { id } })).status).toBe("OPEN");
    expect(await events(auditId)).toHaveLength(before.length);

    await postClarificationMessage({ actor: inviteActor(provider.invite), input: { clarificationId: id, body: ` ${"x".repeat(10_000)} ` } });
    expect((await messages(id)).at(-1)!.body).toHaveLength(10_000);
  });

  it("a status other than open or resolved is refused", async () => {
    const { owner, auditId } = await setup();
    const { id } = await openClarification({ actor: owner, input: { auditId, questionId: TECH_Q, body: "Which sites?" } });
    const e = await failure(setClarificationStatus({ actor: owner, input: { clarificationId: id, status: "ANSWERED" as "OPEN" } }));
    expect(e.fieldErrors).toEqual({ status: "choose open or resolved" });
  });
});
