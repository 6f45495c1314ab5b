import { describe, expect, it } from "vitest";
import { listAnswerHistory } from "@/lib/answers/list-answer-history";
import { saveAnswer } from "@/lib/answers/save-answer";
import { userActor } from "@/lib/auth/actor";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { createAudit } from "@/lib/audits/create-audit";
import { getAudit } from "@/lib/audits/get-audit";
import { listAudits } from "@/lib/audits/list-audits";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { createTestAudit, createUser, infrastructureQuestionnaireId } from "../factories";
import { events, failure } from "./support";


describe("creating audits", () => {
  it("an officer opens an audit, becomes its owner, and the event is recorded", async () => {
    const officer = await createUser(["OFFICER"]);
    const questionnaireVersionId = await infrastructureQuestionnaireId();
    const { id } = await createAudit({
      actor: officer,
      input: { questionnaireVersionId, providerName: "  Example Cloud AB ", providerContactEmail: "ciso@example.com", scope: { nfs: true } },
    });
    const audit = await getDb().audit.findUniqueOrThrow({ where: { id }, include: { members: true } });
    expect(audit.providerName).toBe("Example Cloud AB");
    expect(audit.scope).toEqual({ nfs: true, hipaa: false, "managed-service": true });
    expect(audit.members).toMatchObject([{ userId: officer.id, role: "OWNER" }]);
    expect(await events(id)).toMatchObject([{ action: "audit.created", actorId: officer.id }]);
  });

  it("a reviewer or a user without a role cannot open an audit", async () => {
    const questionnaireVersionId = await infrastructureQuestionnaireId();
    for (const roles of [["REVIEWER"], []] as const) {
      const user = await createUser([...roles]);
      const e = await failure(createAudit({ actor: user, input: { questionnaireVersionId, providerName: "X" } }));
      expect(e.code).toBe("FORBIDDEN");
    }
  });

  it("refuses bad input field by field and writes nothing", async () => {
    const officer = await createUser(["OFFICER"]);
    const questionnaireVersionId = await infrastructureQuestionnaireId();
    const before = await getDb().audit.count();
    const e = await failure(
      createAudit({ actor: officer, input: { questionnaireVersionId, providerName: "x".repeat(201), providerContactEmail: "not-an-email" } }),
    );
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.fieldErrors).toEqual({ providerName: "keep it under 200 characters", providerContactEmail: "enter a valid e-mail address" });
    const unknownScope = await failure(createAudit({ actor: officer, input: { questionnaireVersionId, providerName: "X", scope: { gdpr: true } } }));
    expect(unknownScope.fieldErrors).toEqual({ scope: "unknown scope: gdpr" });
    const unknownVersion = await failure(
      createAudit({ actor: officer, input: { questionnaireVersionId: "00000000-0000-4000-8000-000000000000", providerName: "X" } }),
    );
    expect(unknownVersion.fieldErrors).toHaveProperty("questionnaireVersionId");
    expect(await getDb().audit.count()).toBe(before);
  });
});

describe("access to an audit", () => {
  it("a non-member gets NOT_FOUND, exactly as for an audit that does not exist", async () => {
    const owner = await createUser(["OFFICER"]);
    const stranger = await createUser(["OFFICER", "REVIEWER"]);
    const { id } = await createTestAudit(owner);
    for (const auditId of [id, "00000000-0000-4000-8000-000000000000", "not-a-uuid"]) {
      const e = await failure(getAudit({ user: stranger, auditId }));
      expect(e.code).toBe("NOT_FOUND");
      expect(e.message).not.toContain("Provider");
    }
    const save = await failure(saveAnswer({ actor: userActor(stranger), input: { auditId: id, questionId: "tech.az.locations", value: "x", note: null, baseRevision: 0 } }));
    expect(save.code).toBe("NOT_FOUND");
    expect((await listAudits({ user: stranger })).map((a) => a.id)).not.toContain(id);
  });

  it("an admin sees every audit; a reviewer member reads but cannot edit", async () => {
    const owner = await createUser(["OFFICER"]);
    const admin = await createUser(["ADMIN"]);
    const reviewer = await createUser(["REVIEWER"]);
    const { id } = await createTestAudit(owner);
    expect((await getAudit({ user: admin, auditId: id })).audit.id).toBe(id);
    expect((await listAudits({ user: admin })).map((a) => a.id)).toContain(id);

    await addAuditMember({ actor: owner, input: { auditId: id, email: reviewer.email!, role: "REVIEWER" } });
    const view = await getAudit({ user: reviewer, auditId: id });
    expect(view.access.can).toEqual({ view: true, edit: false, manage: false, review: true });
    const e = await failure(saveAnswer({ actor: userActor(reviewer), input: { auditId: id, questionId: "tech.az.locations", value: "x", note: null, baseRevision: 0 } }));
    expect(e.code).toBe("FORBIDDEN");
    expect((await events(id)).map((ev) => ev.action)).toEqual(["audit.created", "member.added"]);
  });

  it("an officer member edits; only the owner manages members; roles must match", async () => {
    const owner = await createUser(["OFFICER"]);
    const colleague = await createUser(["OFFICER"]);
    const reviewer = await createUser(["REVIEWER"]);
    const { id } = await createTestAudit(owner);
    const wrongRole = await failure(addAuditMember({ actor: owner, input: { auditId: id, email: reviewer.email!, role: "OFFICER" } }));
    expect(wrongRole.fieldErrors).toEqual({ role: "they are not a compliance officer" });
    const unknown = await failure(addAuditMember({ actor: owner, input: { auditId: id, email: "nobody-here@example.test", role: "REVIEWER" } }));
    expect(unknown.code).toBe("INVALID_INPUT");

    await addAuditMember({ actor: owner, input: { auditId: id, email: colleague.email!, role: "OFFICER" } });
    const twice = await failure(addAuditMember({ actor: owner, input: { auditId: id, email: colleague.email!, role: "OFFICER" } }));
    expect(twice.code).toBe("CONFLICT");
    expect((await requireAuditAccess({ user: colleague, auditId: id, need: "edit" })).memberRole).toBe("OFFICER");
    const manage = await failure(addAuditMember({ actor: colleague, input: { auditId: id, email: reviewer.email!, role: "REVIEWER" } }));
    expect(manage.code).toBe("FORBIDDEN");
  });

  it("an officer who lost the officer role at the IdP can no longer edit", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    await getDb().user.update({ where: { id: owner.id }, data: { roles: [] } });
    const demoted = { ...owner, roles: [] };
    const e = await failure(requireAuditAccess({ user: demoted, auditId: id, need: "edit" }));
    expect(e.code).toBe("FORBIDDEN");
  });
});

describe("saving answers", () => {
  it("saves, records the event in the same transaction, and counts towards progress", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    const saved = await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "Stockholm", note: "Two sites", baseRevision: 0 } });
    expect(saved).toMatchObject({ questionId: "tech.az.locations", value: "Stockholm", note: "Two sites", revision: 1 });
    const second = await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "Stockholm, Malmö", note: null, baseRevision: 1 } });
    expect(second.revision).toBe(2);
    const ev = (await events(id)).filter((e) => e.action === "answer.saved");
    expect(ev.map((e) => [e.subject, (e.data as { revision: number }).revision])).toEqual([
      ["tech.az.locations", 1],
      ["tech.az.locations", 2],
    ]);
    const view = await getAudit({ user: owner, auditId: id });
    expect(view.answers["tech.az.locations"]?.value).toBe("Stockholm, Malmö");
    expect(view.progress.overall.requiredAnswered).toBe(1);
  });

  it("keeps every revision as history, newest first, for members only", async () => {
    const owner = await createUser(["OFFICER"]);
    const stranger = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "A", note: "first", baseRevision: 0 } });
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "B", note: null, baseRevision: 1 } });
    const history = await listAnswerHistory({ user: owner, auditId: id, questionId: "tech.az.locations" });
    expect(history.map((h) => [h.revision, h.value, h.note, h.by])).toEqual([
      [2, "B", null, owner.name],
      [1, "A", "first", owner.name],
    ]);
    const e = await failure(listAnswerHistory({ user: stranger, auditId: id, questionId: "tech.az.locations" }));
    expect(e.code).toBe("NOT_FOUND");
  });

  it("refuses a save based on a stale revision and returns the current answer", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "A", note: null, baseRevision: 0 } });
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "B", note: null, baseRevision: 1 } });
    const stale = await failure(saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "C", note: null, baseRevision: 1 } }));
    expect(stale.code).toBe("CONFLICT");
    expect(stale.details).toMatchObject({ current: { value: "B", revision: 2 } });
    // Two first answers at once: one wins, the other is told.
    const results = await Promise.allSettled(
      ["X", "Y"].map((value) => saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.services.offered", value, note: null, baseRevision: 0 } })),
    );
    expect(results.map((r) => r.status).sort()).toEqual(["fulfilled", "rejected"]);
    const rejected = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect((rejected.reason as AppError).code).toBe("CONFLICT");
    const row = await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId: id, questionId: "tech.services.offered" } } });
    expect(row.revision).toBe(1);
    expect((await events(id)).filter((e) => e.subject === "tech.services.offered")).toHaveLength(1);
  });

  it("ten saves from the same revision at once: one is written, nine are told, one history entry", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value: "base", note: null, baseRevision: 0 } });
    const values = [...Array(10).keys()].map((i) => `edit ${i}`);
    const results = await Promise.allSettled(
      values.map((value) => saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.az.locations", value, note: null, baseRevision: 1 } })),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    const winner = won[0]!.value;
    expect(winner.revision).toBe(2);
    for (const r of results.filter((r) => r.status === "rejected")) {
      expect((r.reason as AppError).code).toBe("CONFLICT");
      expect((r.reason as AppError).details).toMatchObject({ current: { value: winner.value, revision: 2 } });
    }
    const row = await getDb().answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId: id, questionId: "tech.az.locations" } } });
    expect(row).toMatchObject({ value: winner.value, revision: 2 });
    const saves = (await events(id)).filter((e) => e.action === "answer.saved");
    expect(saves.map((e) => (e.data as { revision: number; value: string }).value)).toEqual(["base", winner.value]);
  });

  it.each([
    ["unknown question", { questionId: "tech.nope", value: "x" }, { questionId: 'unknown question "tech.nope"' }],
    ["wrong type", { questionId: "tech.iaas.anti-affinity", value: "maybe" }, { value: "answer yes or no" }],
    ["number as text", { questionId: "tech.iaas.anti-affinity.max-group-size", value: "forty" }, { value: "enter a number" }],
    ["too long", { questionId: "tech.az.locations", value: "x".repeat(2001) }, { value: "keep it under 2,000 characters" }],
    ["wrong shape", { questionId: "tech.az.locations", value: { a: 1 } }, { value: "this answer has the wrong shape" }],
  ])("refuses %s with a field error and changes nothing", async (_, input, fieldErrors) => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    const e = await failure(saveAnswer({ actor: userActor(owner), input: { auditId: id, note: null, baseRevision: 0, ...(input as { questionId: string; value: string }) } }));
    expect(e.code).toBe("INVALID_INPUT");
    expect(e.fieldErrors).toEqual(fieldErrors);
    expect(await getDb().answer.count({ where: { auditId: id } })).toBe(0);
    expect((await events(id)).map((ev) => ev.action)).toEqual(["audit.created"]);
  });

  it("keeps the answer of a follow-up that is hidden now", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.iaas.anti-affinity", value: "yes", note: null, baseRevision: 0 } });
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.iaas.anti-affinity.max-group-size", value: 40, note: null, baseRevision: 0 } });
    await saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "tech.iaas.anti-affinity", value: "no", note: null, baseRevision: 1 } });
    const view = await getAudit({ user: owner, auditId: id });
    expect(view.answers["tech.iaas.anti-affinity.max-group-size"]?.value).toBe(40);
    // …but it does not count while hidden: answered = the parent only.
    expect(view.progress.sections.tech?.requiredAnswered).toBe(1);
  });

  it("an answer to a question of another questionnaire version is refused", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id } = await createTestAudit(owner);
    // A question id that exists only in a different questionnaire (made up here) is unknown to this audit.
    const e = await failure(saveAnswer({ actor: userActor(owner), input: { auditId: id, questionId: "fr1.sr1-1.identify-users", value: "x", note: null, baseRevision: 0 } }));
    expect(e.fieldErrors?.questionId).toMatch(/unknown question/);
  });
});
