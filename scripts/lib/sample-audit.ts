import { saveAnswer } from "@/lib/answers/save-answer";
import { addAttachment } from "@/lib/attachments/add-attachment";
import { multipartBody, uploadRequest } from "@/lib/attachments/sample-files";
import { inviteActor, userActor, type TActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import type { TRole } from "@/lib/auth/roles";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { createAudit } from "@/lib/audits/create-audit";
import { openClarification } from "@/lib/clarifications/open-clarification";
import { postClarificationMessage } from "@/lib/clarifications/post-clarification-message";
import { setClarificationStatus } from "@/lib/clarifications/set-clarification-status";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { requireInvite } from "@/lib/invites/require-invite";
import { submitInvite } from "@/lib/invites/submit-invite";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { walkQuestions } from "@/lib/questionnaires/schema";
import { computeQuestionStates } from "@/lib/questionnaires/visibility";
import { rateAnswer } from "@/lib/review/rate-answer";
import { recordVerdict } from "@/lib/review/record-verdict";
import type { TRatingValue } from "@/lib/review/schemas";
import { signOffAudit } from "@/lib/review/sign-off-audit";
import {
  BREACH_NOTIFICATION_AFTER,
  PROVIDER_SECTIONS,
  SAMPLE_ANSWERS,
  SAMPLE_QUESTIONNAIRE,
  SAMPLE_SCOPE,
  type TSampleValue,
} from "./sample-answers";
import { sampleCertificateFacts, sampleCertificatePdf, sampleDpaPdf, sampleNetworkDiagramPng, sampleRestoreTestsCsv } from "./sample-files";

// A complete, signed-off sample audit of a fictional provider, built through the same domain
// operations the app uses (so every change has its audit-trail event and every rule applies):
// an officer opens the audit and invites the provider's contact; the contact answers and
// uploads evidence through her link; the officer asks for a clarification, which is answered and
// resolved; the contact submits; the officer records the evidence seen; a reviewer rates
// answers, records the verdict and signs off. Used by scripts/evidence-sample.ts.

export const SAMPLE_ISSUER = "urn:assay:sample";
export const SAMPLE_PROVIDER = "Nordlys Cloud AB (sample)";
const SAMPLE_CONTACT = { name: "Maja Lindqvist", email: "maja.lindqvist@nordlys-cloud.example" };

/** The sample's people: they cannot sign in (their issuer is no identity provider), and say what they are. */
const SAMPLE_USERS = {
  officer: { subject: "sample-officer", name: "Elin Berg (sample officer)", email: "sample.officer@assay-sample.example", roles: ["OFFICER"] },
  reviewer: { subject: "sample-reviewer", name: "Jonas Ek (sample reviewer)", email: "sample.reviewer@assay-sample.example", roles: ["REVIEWER"] },
} satisfies Record<string, TSampleUser>;

interface TSampleUser {
  subject: string;
  name: string;
  email: string;
  roles: TRole[];
}

/** Created once, reused by later runs (they are the same sample people). */
async function upsertSampleUser(u: TSampleUser): Promise<TCurrentUser> {
  return getDb().user.upsert({
    where: { issuer_subject: { issuer: SAMPLE_ISSUER, subject: u.subject } },
    create: { issuer: SAMPLE_ISSUER, subject: u.subject, name: u.name, email: u.email, roles: u.roles },
    update: { name: u.name, email: u.email, roles: u.roles },
    select: { id: true, email: true, name: true, roles: true },
  });
}

const RATINGS: { questionId: string; rating: TRatingValue; note: string | null }[] = [
  { questionId: "tech.az.locations", rating: "ACCEPTABLE", note: "Three zones, all in Sweden; matches the network diagram." },
  { questionId: "org.iso27001", rating: "ACCEPTABLE", note: "Certificate attached; the scope covers the whole IaaS offering." },
  { questionId: "tech.storage.encryption", rating: "ACCEPTABLE", note: null },
  { questionId: "org.incidents", rating: "ACCEPTABLE", note: "Well-defined process; post-mortems are shared with customers." },
  { questionId: "org.breach-notification", rating: "ACCEPTABLE", note: "24 hours after the clarification, and written into DPA v3.1 section 6." },
  { questionId: "tech.net.private.trusted", rating: "NEEDS_CLARIFICATION", note: "They do not trust the inter-zone network: confirm that all traffic between zones is encrypted (the diagram says MACsec)." },
  { questionId: "org.disaster-recovery.tests", rating: "NEEDS_CLARIFICATION", note: "The last full disaster-recovery exercise was in 2025: ask for its report and the date of the next one." },
  { questionId: "legal.eu-suppliers.web-assets", rating: "NOT_ACCEPTABLE", note: "The customer portal loads web fonts and analytics from a US provider: a transfer outside the EU for every visitor." },
  { questionId: "tech.storage.encryption.boot-default", rating: "NOT_ACCEPTABLE", note: "Boot discs are not encrypted by default: our images must always use the encrypted flavor." },
  { questionId: "env.compensation", rating: "NOT_APPLICABLE", note: "Environmental compensation is outside the scope of this security audit." },
  { questionId: "collab.roadmap", rating: "NOT_APPLICABLE", note: "We buy a standard service; roadmap meetings are not part of this engagement." },
];

const VERDICT = {
  verdict: "SUITABLE_WITH_CONDITIONS" as const,
  rationale:
    "Nordlys Cloud runs a mature, ISO/IEC 27001-certified operation entirely within Sweden, with encryption at rest by default, individual accounts with " +
    "just-in-time privileged access, tested backups and a clear incident process. Breach notification was tightened to 24 hours during the audit. " +
    "Two gaps must be closed before production data moves: third-party web assets on the customer portal, and boot-disc encryption.",
  conditions: [
    "Self-host the customer portal's web fonts and analytics, or remove them, before go-live.",
    "Use only the encrypted boot-disc flavor for our images, enforced by policy in our projects.",
    "Share the report of the 2026 disaster-recovery exercise within 60 days.",
    "Provide a signed statement of the ownership structure.",
  ],
};

export interface TSampleAudit {
  auditId: string;
  officer: TCurrentUser;
  reviewer: TCurrentUser;
  answered: number;
  attachments: number;
}

/** Builds the sample audit, signed off, in the database of this process (DATABASE_URL). */
export async function buildSampleAudit({ say, today = new Date() }: { say: (line: string) => void; today?: Date }): Promise<TSampleAudit> {
  const db = getDb();
  const officer = await upsertSampleUser(SAMPLE_USERS.officer);
  const reviewer = await upsertSampleUser(SAMPLE_USERS.reviewer);
  const version = await db.questionnaireVersion.findUnique({ where: { slug_version: SAMPLE_QUESTIONNAIRE }, select: { id: true } });
  if (!version) throw new Error(`The questionnaire ${SAMPLE_QUESTIONNAIRE.slug} ${SAMPLE_QUESTIONNAIRE.version} is not loaded (questionnaires/ in QUESTIONNAIRES_DIR).`);
  const { definition } = await getQuestionnaireVersion(version.id);

  // Which questions this scope and these answers show: every one of them is answered, and the
  // answer bank holds nothing else.
  const states = computeQuestionStates(definition, SAMPLE_SCOPE, SAMPLE_ANSWERS);
  const shown = [...walkQuestions(definition)].filter((w) => states.get(w.question.id)?.visible).map((w) => ({ id: w.question.id, sectionId: w.section.id }));
  const missing = shown.filter((q) => !(q.id in SAMPLE_ANSWERS)).map((q) => q.id);
  const extra = Object.keys(SAMPLE_ANSWERS).filter((id) => !shown.some((q) => q.id === id));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`The sample's answers do not fit the questionnaire: missing ${missing.join(", ") || "none"}; not shown ${extra.join(", ") || "none"}.`);
  }

  const audit = await createAudit({
    actor: officer,
    input: { questionnaireVersionId: version.id, providerName: SAMPLE_PROVIDER, providerContactName: SAMPLE_CONTACT.name, providerContactEmail: SAMPLE_CONTACT.email, scope: SAMPLE_SCOPE },
  });
  const auditId = audit.id;
  await addAuditMember({ actor: officer, input: { auditId, email: reviewer.email!, role: "REVIEWER" } });
  const issued = await createInvite({ actor: officer, input: { auditId, ...SAMPLE_CONTACT, sections: PROVIDER_SECTIONS }, mailer: null });
  const provider = inviteActor(await requireInvite({ token: issued.token, need: "answer", clientKey: null }));
  say(`Audit of ${SAMPLE_PROVIDER} opened by ${officer.name}; ${SAMPLE_CONTACT.name} invited.`);

  // The provider answers (parents before their follow-ups, as the form shows them).
  const save = (actor: TActor, questionId: string, value: TSampleValue, baseRevision: number) =>
    saveAnswer({ actor, input: { auditId, questionId, value, note: null, baseRevision } });
  for (const q of shown.filter((q) => PROVIDER_SECTIONS.includes(q.sectionId))) await save(provider, q.id, SAMPLE_ANSWERS[q.id]!, 0);

  // The provider's evidence, uploaded through her link like any upload (checked, sniffed, hashed).
  const cert = sampleCertificateFacts(today);
  const files: { fields: Record<string, string>; name: string; data: Buffer }[] = [
    {
      fields: { evidenceItemId: "certificates", certificateIssuer: cert.issuer, certificateScope: cert.scope, certificateExpiresOn: cert.expiresOn },
      name: "ISO-27001-certificate-Nordlys-Cloud.pdf",
      data: await sampleCertificatePdf(cert),
    },
    { fields: { evidenceItemId: "terms-and-dpa" }, name: "Nordlys-Cloud-DPA-v3.1.pdf", data: await sampleDpaPdf(today) },
    { fields: { questionId: "tech.az.locations" }, name: "availability-zones-network.png", data: sampleNetworkDiagramPng() },
    { fields: { questionId: "org.disaster-recovery.tests" }, name: "restore-tests-last-12-months.csv", data: sampleRestoreTestsCsv(today) },
  ];
  for (const f of files) {
    const { request } = uploadRequest(`http://assay.sample/api/r/${issued.token}/attachments`, multipartBody(f.fields, { name: f.name, data: f.data }));
    await addAttachment({ actor: provider, auditId, request });
  }
  say(`${SAMPLE_CONTACT.name} answered ${shown.length - countIn(shown, "evidence")} questions and uploaded ${files.length} files.`);

  // One clarification, answered, the answer updated, resolved.
  const thread = await openClarification({
    actor: officer,
    input: {
      auditId,
      questionId: "org.breach-notification",
      body: "Our contracts require notification of a personal data breach within 24 hours. Can you commit to that, and write it into the DPA?",
      dueOn: new Date(today.getTime() + 14 * 86_400_000).toISOString().slice(0, 10),
    },
  });
  await postClarificationMessage({
    actor: provider,
    input: { clarificationId: thread.id, body: "Yes. We have updated our DPA to version 3.1: section 6 now commits to 24 hours. I have corrected our answer and attached the new DPA." },
  });
  await save(provider, "org.breach-notification", BREACH_NOTIFICATION_AFTER, 1);
  await postClarificationMessage({
    actor: userActor(reviewer),
    input: { clarificationId: thread.id, body: "Checked DPA v3.1 section 6: the wording is fine. (Internal note: not shown to the provider, nor in the package.)", internal: true },
  });
  await setClarificationStatus({ actor: officer, input: { clarificationId: thread.id, status: "RESOLVED" } });
  await submitInvite({ invite: await requireInvite({ token: issued.token, need: "answer", clientKey: null }) });
  say("One clarification (breach notification) answered and resolved; the provider submitted.");

  // The officer records the evidence she saw.
  for (const q of shown.filter((q) => !PROVIDER_SECTIONS.includes(q.sectionId))) await save(userActor(officer), q.id, SAMPLE_ANSWERS[q.id]!, 0);

  // The reviewer's ratings, verdict and sign-off.
  for (const r of RATINGS) await rateAnswer({ actor: reviewer, input: { auditId, questionId: r.questionId, rating: r.rating, note: r.note, baseRevision: 0 } });
  const verdict = await recordVerdict({ actor: reviewer, input: { auditId, ...VERDICT, baseRevision: 0 } });
  await signOffAudit({ actor: reviewer, input: { auditId, verdictRevision: verdict.revision } });
  say(`${reviewer.name} rated ${RATINGS.length} answers, found the provider suitable with ${VERDICT.conditions.length} conditions, and signed the audit off.`);
  return { auditId, officer, reviewer, answered: shown.length, attachments: files.length };
}

function countIn(questions: { sectionId: string }[], sectionId: string): number {
  return questions.filter((q) => q.sectionId === sectionId).length;
}
