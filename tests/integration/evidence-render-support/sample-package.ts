import { createHash, randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import { samplePdf, samplePng } from "@/lib/attachments/sample-files";
import { buildEvidenceChecklist } from "@/lib/evidence/render/build-evidence-checklist";
import type { TEvidencePackageData, TPackageAnswer, TPackageAttachment } from "@/lib/evidence/render/package-data";
import { formatQuestionnaireErrors, parseQuestionnaireFile } from "@/lib/questionnaires/parse-questionnaire-file";
import { walkQuestions, type TQuestion } from "@/lib/questionnaires/schema";
import { computeQuestionStates, resolveScope, type TAnswerValue } from "@/lib/questionnaires/visibility";

// A realistic package for the renderer's tests: the real infrastructure-provider questionnaire,
// an answer for every visible question but one, a few ratings, a verdict, a clarification thread
// with an internal note, and three attachments built in memory.

export const SWEDISH = "Återställning sker inom 4 timmar, även för äldre säkerhetskopior";
export const GERMAN = "Größenänderung erfolgt über Stoppen und Starten der VMs; Änderungen überwacht unser Betriebsteam rund um die Uhr.";
export const CHINESE = "数据存储在欧盟境内的数据中心";
export const INTERNAL_NOTE = "Internal: ask for the restore test report before we sign off";
export const PROVIDER_VISIBLE_MESSAGE = "Please describe how often restores are tested and what the last result was.";
/** Left unanswered on purpose, so the package shows how it marks a missing answer. */
export const UNANSWERED_QUESTION = "org.penetration-test.findings";

const FILE = path.resolve("questionnaires/infrastructure-provider/1.0.0.yaml");

export function loadQuestionnaire() {
  const parsed = parseQuestionnaireFile({ file: FILE, text: readFileSync(FILE, "utf8") });
  if (!parsed.ok) throw new Error(formatQuestionnaireErrors(parsed.errors));
  return parsed;
}

const SPECIAL: Record<string, TAnswerValue> = {
  "tech.az.locations": CHINESE,
  "org.disaster-recovery": SWEDISH,
  "tech.iaas.autoscaling.implementation": GERMAN,
  "tech.iaas.anti-affinity.max-group-size": 25,
  // Long enough to run over a page.
  "org.change-management": Array.from(
    { length: 40 },
    (_, i) =>
      `Step ${i + 1}: the change is described in a ticket, risk-rated, reviewed by a second engineer, ` +
      `scheduled in a maintenance window announced ${i + 2} days ahead, rolled out zone by zone and verified.`,
  ).join("\n\n"),
  // A "no" that hides follow-ups and shows the "if not" ones.
  "tech.netsec.acme": "no",
  "tech.iaas.ubuntu-images": "no",
};

const LONG =
  "We operate three availability zones in two metropolitan areas, each with independent power feeds, " +
  "cooling and network uplinks, and the control plane is replicated so that losing one zone does not " +
  "interrupt the API. Changes are rolled out zone by zone, with automated canary checks between steps, " +
  "and every change is reviewed by a second engineer before it reaches production.";

function answerFor(q: TQuestion, index: number): TAnswerValue {
  if (q.id in SPECIAL) return SPECIAL[q.id]!;
  switch (q.type) {
    case "yes_no":
      return "yes";
    case "single_choice":
    case "multiple_choice": {
      const first = q.choices![0]!.id;
      return q.type === "single_choice" ? first : [first];
    }
    case "number":
      return 7;
    case "date":
      return "2026-01-31";
    case "long_text":
      return `Answer ${index} for ${q.id}. ${index % 5 === 0 ? LONG : "Documented in our operations handbook."}`;
    default:
      return `Answer ${index} for ${q.id}`;
  }
}

export interface TSampleFile {
  bytes: Buffer;
  attachment: TPackageAttachment;
}

const sha256 = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

/** Yields `bytes` in 64 KiB pieces, like rows read from storage. */
export async function* chunked(bytes: Buffer, size = 64 * 1024): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

function attachment(fields: Omit<TPackageAttachment, "open" | "size" | "sha256">, bytes: Buffer): TSampleFile {
  return { bytes, attachment: { ...fields, size: bytes.length, sha256: sha256(bytes), open: () => chunked(bytes) } };
}

export function buildSamplePackage(): { data: TEvidencePackageData; files: TSampleFile[]; visibleQuestions: TQuestion[] } {
  const { questionnaire: definition, contentHash } = loadQuestionnaire();
  const scope = resolveScope(definition, {});
  const at = (minutes: number) => new Date(Date.UTC(2026, 10, 20, 9, 0) + minutes * 60_000).toISOString();

  // Answer in questionnaire order so that each follow-up is judged on its parent's answer, with
  // the app's visibility rules.
  const values: Record<string, TAnswerValue> = {};
  const answers: Record<string, TPackageAnswer> = {};
  let i = 0;
  for (const { question } of walkQuestions(definition)) {
    const state = computeQuestionStates(definition, scope, values).get(question.id)!;
    if (!state.visible || question.id === UNANSWERED_QUESTION) continue;
    i++;
    values[question.id] = answerFor(question, i);
    answers[question.id] = { value: values[question.id]!, updatedBy: i % 3 === 0 ? "Olga Officer" : "Pat Provider", updatedAt: at(i) };
  }
  const states = computeQuestionStates(definition, scope, values);
  const visibleQuestions = [...walkQuestions(definition)].map((w) => w.question).filter((q) => states.get(q.id)!.visible);

  const files = [
    attachment(
      {
        id: "00000000-0000-4000-8000-000000000001",
        fileName: "ISO 27001 certificate.pdf",
        mediaType: "application/pdf",
        uploadedBy: "Pat Provider",
        uploadedAt: at(300),
        questionId: null,
        evidenceItemId: "certificates",
        certificate: { issuer: "BSI Group", scope: "Cloud hosting and operations", expiresAt: "2027-06-30" },
      },
      samplePdf("ISO 27001 certificate"),
    ),
    attachment(
      {
        id: "00000000-0000-4000-8000-000000000002",
        fileName: "rack-photo.png",
        mediaType: "image/png",
        uploadedBy: "Olga Officer",
        uploadedAt: at(301),
        questionId: "org.physical-security",
        evidenceItemId: null,
        certificate: null,
      },
      samplePng(),
    ),
    attachment(
      {
        id: "00000000-0000-4000-8000-000000000003",
        fileName: "Villkor och DPA (Ägarstruktur).zip",
        mediaType: "application/zip",
        uploadedBy: "Pat Provider",
        uploadedAt: at(302),
        questionId: null,
        evidenceItemId: "terms-and-dpa",
        certificate: null,
      },
      randomBytes(2 * 1024 * 1024 + 123),
    ),
  ];
  const attachments = files.map((f) => f.attachment);

  const data: TEvidencePackageData = {
    audit: {
      id: "6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f",
      providerName: "Nordmoln AB",
      title: "Infrastructure provider audit 2026",
      status: "In review",
      createdAt: at(-600),
      updatedAt: at(400),
      submittedAt: at(310),
    },
    questionnaire: { slug: definition.slug, version: definition.version, title: definition.title, contentHash, definition },
    scope: {},
    answers,
    ratings: {
      "tech.az.locations": { rating: "acceptable", note: "EU only, as required.", by: "Rita Reviewer", at: at(500) },
      "org.disaster-recovery": { rating: "needs_clarification", note: "Restore tests are not described.", by: "Rita Reviewer", at: at(501) },
      "org.breach-notification": { rating: "not_acceptable", note: "Longer than the 24 hours our DPA requires.", by: "Rita Reviewer", at: at(502) },
      "collab.roadmap": { rating: "not_applicable", note: null, by: "Rita Reviewer", at: at(503) },
    },
    verdict: {
      verdict: "suitable_with_conditions",
      rationale: "The provider meets our technical requirements. Two organisational gaps must be closed before production data is stored.",
      conditions: ["Breach notification within 24 hours, written into the DPA.", "A documented restore test, repeated every quarter."],
      by: "Rita Reviewer",
      at: at(600),
    },
    clarifications: {
      "org.disaster-recovery": [
        {
          status: "answered",
          openedBy: "Olga Officer",
          openedAt: at(400),
          messages: [
            { author: "Olga Officer", role: "officer", body: PROVIDER_VISIBLE_MESSAGE, at: at(400), internal: false },
            { author: "Olga Officer", role: "officer", body: INTERNAL_NOTE, at: at(401), internal: true },
            { author: "Pat Provider", role: "provider", body: "Quarterly; the last test in October restored 2 TB in 3 h 10 min.", at: at(420), internal: false },
          ],
        },
      ],
    },
    checklist: buildEvidenceChecklist({ definition, attachments, today: "2026-11-23" }),
    attachments,
    events: [
      { at: at(-600), actor: "Olga Officer", action: "audit.created", subject: null },
      { at: at(-590), actor: "Olga Officer", action: "invite.created", subject: "pat@nordmoln.example" },
      ...Object.entries(answers)
        .slice(0, 40)
        .map(([id, a]) => ({ at: a.updatedAt, actor: a.updatedBy, action: "answer.saved", subject: id })),
      { at: at(310), actor: "Provider: Pat Provider", action: "invite.submitted", subject: null },
      { at: at(400), actor: "Olga Officer", action: "clarification.opened", subject: "org.disaster-recovery" },
      { at: at(600), actor: "Rita Reviewer", action: "verdict.given", subject: null },
    ],
    package: {
      version: 1,
      issuedAt: at(700),
      issuedBy: "Olga Officer",
      signer: { subject: "CN=Assay development signer, O=Assay (self-signed)", selfSigned: true },
    },
  };
  return { data, files, visibleQuestions };
}
