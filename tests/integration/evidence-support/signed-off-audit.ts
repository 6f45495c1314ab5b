import { expect } from "vitest";
import { saveAnswer } from "@/lib/answers/save-answer";
import { multipartBody, samplePdf, uploadRequest } from "@/lib/attachments/sample-files";
import { userActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { getDb } from "@/lib/db";
import { requestEvidencePackage } from "@/lib/evidence/request-evidence-package";
import { createTestAudit, createUser } from "../../factories";
import { asUser } from "../sessions";

// How the evidence suites get a signed-off audit and an issued package: an audit with answers
// (one in Swedish), a PDF certificate uploaded through the real route, a verdict, signed off by
// its reviewer; then the package requested and issued by the pg-boss workers the suite started
// (startWorkers() in its beforeAll).

const officerAttachments = await import("@/app/api/audits/[auditId]/attachments/route");

const BASE = "http://assay.test";

/** An audit with answers (one in Swedish), a PDF certificate, a verdict, signed off by its reviewer. */
export async function signedOffAudit() {
  const owner = await createUser(["OFFICER"], "Olivia Owner");
  const reviewer = await createUser(["REVIEWER"], "Rita Reviewer");
  const { id: auditId } = await createTestAudit(owner);
  await addAuditMember({ actor: owner, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
  const answers: [string, string][] = [
    ["tech.az.locations", "Stockholm och Göteborg, två tillgänglighetszoner"],
    ["tech.services.offered", "Compute, block storage, managed PostgreSQL"],
  ];
  for (const [questionId, value] of answers) {
    await saveAnswer({ actor: userActor(owner), input: { auditId, questionId, value, note: null, baseRevision: 0 } });
  }
  const pdf = samplePdf("ISO 27001 certificate");
  const { request } = uploadRequest(`${BASE}/api/audits/${auditId}/attachments`, multipartBody({ questionId: "tech.az.locations" }, { name: "iso27001.pdf", data: pdf }));
  const up = await officerAttachments.POST(await asUser(owner, request), { params: Promise.resolve({ auditId }) });
  expect(up.status).toBe(201);
  await signOff(auditId, reviewer);
  return { owner, reviewer, auditId, pdf, answers };
}

/** Signs the audit off (again) as `reviewer`: the verdict if there is none, the status, the next sign-off number. */
export async function signOff(auditId: string, reviewer: TCurrentUser) {
  const db = getDb();
  await db.auditVerdict.upsert({
    where: { auditId },
    create: { auditId, verdict: "SUITABLE_WITH_CONDITIONS", rationale: "Sound controls; DPA pending.", conditions: ["Sign the DPA before go-live"], decidedById: reviewer.id },
    update: {},
  });
  await db.audit.update({ where: { id: auditId }, data: { status: "SIGNED_OFF", signedOffAt: new Date(), signedOffById: reviewer.id, signOffCount: { increment: 1 } } });
}

/** Waits until the package's job has brought it to one of `states`. */
export async function waitForState(packageId: string, states: string[], timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId } });
    if (states.includes(row.state)) return row;
    if (Date.now() > deadline) throw new Error(`package ${packageId} still ${row.state} (${row.phase})`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** Requests the package of the audit's current sign-off as `user` and waits until it is READY. */
export async function issuePackage(user: TCurrentUser, auditId: string, includeInternalNotes = false) {
  const requested = await requestEvidencePackage({ user, input: { auditId, includeInternalNotes } });
  const row = await waitForState(requested.id, ["READY", "FAILED"]);
  expect(row.error).toBeNull();
  expect(row.state).toBe("READY");
  return row;
}
