import { randomBytes, randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { stringify } from "yaml";
import { saveAnswer } from "@/lib/answers/save-answer";
import { closeAttachmentPool, withAttachmentTransaction } from "@/lib/attachments/sql";
import { getAttachmentStore } from "@/lib/attachments/storage";
import { userActor } from "@/lib/auth/actor";
import type { TCurrentUser } from "@/lib/auth/current-user";
import type { TRole } from "@/lib/auth/roles";
import { addAuditMember } from "@/lib/audits/add-audit-member";
import { createAudit } from "@/lib/audits/create-audit";
import { getDb } from "@/lib/db";
import { requestEvidencePackage } from "@/lib/evidence/request-evidence-package";
import { stopBoss } from "@/lib/jobs/boss";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { walkQuestions, type TQuestion } from "@/lib/questionnaires/schema";
import { rateAnswer } from "@/lib/review/rate-answer";
import { recordVerdict } from "@/lib/review/record-verdict";
import { reopenAudit } from "@/lib/review/reopen-audit";
import { signOffAudit } from "@/lib/review/sign-off-audit";
import type { TRatingValue } from "@/lib/review/schemas";

// The data bench/package.ts measures, set up in its own temporary database (not measured): a
// synthetic questionnaire version of N questions, and signed-off audits with every question
// answered, some answers rated, a verdict, and attachments of a given total — half random bytes
// (recorded as ZIP archives: they do not compress), half realistic text (CSV exports and system
// logs: they do) — written straight into the attachment chunk store, as an upload would.

export const BENCH_SLUG = "bench-package";
export const BENCH_VERSION = "1.0.0";
const MiB = 1024 * 1024;

// ── the synthetic questionnaire ─────────────────────────────────────────────────────────────

const SECTIONS = [
  { id: "tech", title: "Technical controls", category: "technical" },
  { id: "org", title: "Organisational controls", category: "organizational" },
  { id: "legal", title: "Legal and contractual matters", category: "legal" },
  { id: "ops", title: "Operations and collaboration", category: "collaboration" },
] as const;
const GROUPS_PER_SECTION = 3;

const STEMS: Record<"text" | "long_text" | "yes_no" | "single_choice" | "multiple_choice", string[]> = {
  text: [
    "Where are the data centres for this service located?",
    "Which organisation audited your most recent certification?",
    "Who is accountable for this control in your organisation?",
    "When was this control last tested?",
    "Which standard does this procedure follow?",
  ],
  long_text: [
    "Describe how you implement and monitor this control.",
    "How do you handle incidents that affect this service, from detection to the customer's notification?",
    "Describe your change-management process for the platform that runs this service.",
    "How are backups taken, protected, and restored? How did the last restore test go?",
    "How do you grant, review and revoke privileged access for your operations staff?",
    "Describe how you manage technical vulnerabilities in the hypervisor and network layers.",
  ],
  yes_no: [
    "Is this control documented in a policy approved by management?",
    "Is customer data encrypted at rest by default?",
    "Do operations staff use individual, named accounts?",
    "Is the control covered by your ISO/IEC 27001 certificate's scope?",
  ],
  single_choice: ["How often is this control reviewed?", "Where is the data of this service stored?"],
  multiple_choice: ["Which interfaces can be used to configure this?", "Which reports can we obtain?"],
};
const CHOICES = {
  single_choice: [
    { id: "monthly", label: "Monthly" },
    { id: "quarterly", label: "Quarterly" },
    { id: "yearly", label: "Yearly" },
  ],
  multiple_choice: [
    { id: "api", label: "API" },
    { id: "ui", label: "Web console" },
    { id: "terraform", label: "Terraform provider" },
    { id: "soc2", label: "SOC 2 Type II report" },
  ],
};
const TYPE_CYCLE = ["text", "long_text", "yes_no", "long_text", "single_choice", "long_text", "multiple_choice", "text", "long_text", "yes_no"] as const;
/** In each group, this top-level position is a yes/no question with one follow-up ("If yes, …"). */
const FOLLOW_UP_PARENT_AT = 6;

/**
 * Writes `<dir>/bench-package/1.0.0.yaml`: `total` questions (follow-ups included) in four
 * sections of three groups, the types text, long text, yes/no and choices, one follow-up per
 * group, and an evidence checklist. Valid per questionnaires/README.md; loaded by
 * syncQuestionnaires like any questionnaire file.
 */
export function writeBenchQuestionnaire(dir: string, total: number): void {
  const groups = SECTIONS.length * GROUPS_PER_SECTION;
  let made = 0;
  const sections = SECTIONS.map((s, si) => ({
    id: s.id,
    title: s.title,
    category: s.category,
    groups: Array.from({ length: GROUPS_PER_SECTION }, (_, gi) => {
      const groupIndex = si * GROUPS_PER_SECTION + gi;
      // The questions (follow-ups included) left for this group and the ones after it.
      const quota = Math.floor(total / groups) + (groupIndex < total % groups ? 1 : 0);
      const questions: Record<string, unknown>[] = [];
      let inGroup = 0;
      for (let position = 0; inGroup < quota; position++) {
        made++;
        inGroup++;
        const n = made;
        const id = `${s.id}.g${gi + 1}.q${String(n).padStart(3, "0")}`;
        const withFollowUp = position === FOLLOW_UP_PARENT_AT && inGroup < quota;
        const type = withFollowUp ? "yes_no" : TYPE_CYCLE[position % TYPE_CYCLE.length]!;
        const stems = STEMS[type];
        const question: Record<string, unknown> = { id, text: `${stems[n % stems.length]} (B-${n})`, type };
        if (type === "single_choice" || type === "multiple_choice") question.choices = CHOICES[type];
        if (n % 25 === 3) question.evidence = ["policies"];
        if (withFollowUp) {
          made++;
          inGroup++;
          question.followUps = [
            { id: `${id}.detail`, text: `If yes, describe how it is implemented and who reviews it. (B-${made})`, type: "long_text", when: { equals: "yes" } },
          ];
        }
        questions.push(question);
      }
      return { id: `${s.id}.g${gi + 1}`, title: `${s.title}, part ${gi + 1}`, questions };
    }),
  }));
  if (made !== total) throw new Error(`the bench questionnaire has ${made} questions, not ${total}`);
  const file = {
    format: "assay.questionnaire/v1",
    slug: BENCH_SLUG,
    version: BENCH_VERSION,
    title: `Benchmark questionnaire (${total} questions)`,
    summary: "Generated by bench/package.ts: realistic shapes and lengths, not a real questionnaire.",
    guidance: "Generated for the evidence-package benchmark. Every question is answered.",
    evidence: [
      { id: "policies", title: "Security policies" },
      { id: "exports", title: "Configuration and backup exports" },
      { id: "logs", title: "Operational logs and metrics" },
    ],
    sections,
  };
  const folder = path.join(dir, BENCH_SLUG);
  mkdirSync(folder, { recursive: true });
  writeFileSync(path.join(folder, `${BENCH_VERSION}.yaml`), `# Generated by bench/package.ts\n${stringify(file)}`);
}

// ── answers ─────────────────────────────────────────────────────────────────────────────────

const SHORT = [
  "Stockholm (SE-STO1) and Göteborg (SE-GOT1), two availability zones 470 km apart",
  "Bureau Veritas Certification Sverige AB",
  "CISO, reporting to the CEO",
  "2026-09-14, no major findings",
  "ISO/IEC 27001:2022 Annex A 5.23 and 8.13",
  "Frankfurt am Main (DE-FRA2), Rechenzentrum nach DIN EN 50600",
  "北京和上海两个可用区",
  "Säkerhetschefen (CISO), med stöd av IT-driftchefen",
];
const PARAGRAPHS = [
  "All changes to the production platform go through a peer-reviewed merge request, are tested in a staging region that mirrors production, and are rolled out zone by zone with automated health checks between the steps. Emergency changes follow the same path with a shortened review, and are reviewed again by the change advisory board within two working days.",
  "Backups are taken every four hours as crash-consistent snapshots, replicated to the second zone and to an offline copy that is written once a week. Backups are encrypted with keys held in our HSM-backed key management service; restore tests run monthly for a random sample of customer volumes and yearly for a full zone.",
  "Privileged access is granted just in time through our access broker, for at most eight hours, after approval by a second engineer. Every session is recorded, and the recordings are kept for one year in write-once storage. Access rights are reviewed quarterly by the team leads and the security officer.",
  "Vi följer en dokumenterad incidentprocess: larm från övervakningen går till jourhavande tekniker dygnet runt, som klassar incidenten inom 15 minuter. Vid personuppgiftsincidenter informeras berörda kunder inom 24 timmar, och en rotorsaksanalys delas inom tio arbetsdagar. Övningar genomförs två gånger per år tillsammans med kunder som vill delta.",
  "Schwachstellen werden wöchentlich mit authentifizierten Scans erfasst und nach CVSS sowie der Ausnutzbarkeit priorisiert. Kritische Schwachstellen in Hypervisor, Firmware oder Netzwerkkomponenten werden innerhalb von 72 Stunden behoben oder durch kompensierende Maßnahmen entschärft; die Einhaltung der Fristen wird monatlich an die Geschäftsführung berichtet.",
  "我们的数据中心均通过 ISO/IEC 27001 认证，物理访问采用双因素门禁和全天候视频监控。所有存储介质在报废前经过加密擦除，并由经认证的供应商现场销毁，销毁证明保存七年。",
  "Our security operations centre correlates hypervisor, network and identity logs in near real time. Alerts of high severity page the on-call engineer, who acknowledges within 15 minutes; the median time to resolution last year was 3 h 40 min for severity-1 incidents and 19 h for severity-2.",
  "Η πρόσβαση σε δεδομένα πελατών επιτρέπεται μόνο με έγκριση και καταγράφεται. Τα αρχεία καταγραφής διατηρούνται για δώδεκα μήνες.",
];

/** A realistic answer for question number `i` (varied lengths; some Swedish, German, Chinese, Greek). */
export function benchAnswer(question: TQuestion, i: number): string | string[] {
  switch (question.type) {
    case "text":
      return SHORT[i % SHORT.length]!;
    case "yes_no":
      // Parents of follow-ups say yes, so that their follow-up is shown and answered too.
      return question.followUps.length > 0 || i % 7 !== 3 ? "yes" : "no";
    case "single_choice":
      return question.choices![i % question.choices!.length]!.id;
    case "multiple_choice":
      return question.choices!.filter((_, k) => (k + i) % 2 === 0).map((c) => c.id);
    default: {
      // Mostly one or two paragraphs; every tenth answer long (~3 000 characters), every
      // 37th very long (~9 000), as when a provider pastes a policy excerpt.
      const count = i % 37 === 0 ? 20 : i % 10 === 0 ? 7 : 1 + (i % 2);
      return Array.from({ length: count }, (_, k) => PARAGRAPHS[(i + k) % PARAGRAPHS.length]).join("\n\n");
    }
  }
}

// ── attachments ─────────────────────────────────────────────────────────────────────────────

/** A small fast PRNG (mulberry32): the same text for the same seed, no crypto cost. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HOSTS = ["node-01.sto1", "node-02.sto1", "node-17.sto1", "node-03.got1", "node-11.got1", "lb-01.sto1", "backup-02.got1"];
const PATHS = ["/v1/volumes", "/v1/servers", "/v1/networks/ports", "/v1/buckets", "/v1/keys", "/v1/snapshots", "/healthz"];
const AGENTS = ["terraform-provider-nordlys/1.7.2", "kubelet/v1.31.4", "velero/1.15.0", "curl/8.11.1", "Mozilla/5.0 (X11; Linux x86_64)"];
const METRICS = ["cpu_util_pct", "mem_used_bytes", "disk_iops_read", "disk_iops_write", "net_rx_bytes", "net_tx_bytes", "ceph_latency_ms"];
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/** Lines of a system log (sshd, nginx access, backup agent, systemd) or of a metrics CSV export, ASCII. */
function* textPieces(size: number, seed: number, kind: "log" | "csv"): Generator<Buffer> {
  const rnd = prng(seed);
  const pick = <T>(a: readonly T[]) => a[Math.floor(rnd() * a.length)]!;
  const ip = () => `10.${20 + Math.floor(rnd() * 8)}.${Math.floor(rnd() * 256)}.${1 + Math.floor(rnd() * 254)}`;
  const hex = (n: number) => Array.from({ length: n }, () => "0123456789abcdef"[Math.floor(rnd() * 16)]).join("");
  let t = Date.UTC(2026, 9, 1);
  let sent = 0;
  let lines: string[] = kind === "csv" ? ["timestamp,zone,host,metric,value"] : [];
  let length = lines.reduce((n, l) => n + l.length + 1, 0);
  while (sent < size) {
    t += Math.floor(rnd() * 900);
    const at = new Date(t).toISOString();
    const host = pick(HOSTS);
    let line: string;
    if (kind === "csv") {
      line = `${at},${host.slice(-4)},${host},${pick(METRICS)},${(rnd() * 1000).toFixed(3)}`;
    } else {
      const r = rnd();
      if (r < 0.45) {
        line = `${at} ${host}.nordlys.internal nginx: ${ip()} - - "${rnd() < 0.8 ? "GET" : "POST"} ${pick(PATHS)}/${hex(8)} HTTP/1.1" ${rnd() < 0.95 ? 200 : 503} ${Math.floor(rnd() * 40000)} "-" "${pick(AGENTS)}" rt=${(rnd() * 0.3).toFixed(3)}`;
      } else if (r < 0.7) {
        const fp = Array.from({ length: 43 }, () => B64[Math.floor(rnd() * 64)]).join("");
        line = `${at} ${host}.nordlys.internal sshd[${1000 + Math.floor(rnd() * 60000)}]: Accepted publickey for ops-${hex(3)} from ${ip()} port ${1024 + Math.floor(rnd() * 60000)} ssh2: ED25519 SHA256:${fp}`;
      } else if (r < 0.9) {
        line = `${at} ${host}.nordlys.internal backup-agent[811]: snapshot vol-${hex(12)} completed in ${(rnd() * 120).toFixed(1)} s, ${(rnd() * 64).toFixed(1)} GiB transferred, checksum ok`;
      } else {
        line = `${at} ${host}.nordlys.internal systemd[1]: Started ${pick(["Daily apt upgrade and clean activities", "Rotate log files", "Ceph OSD health check", "Certificate renewal check"])}.`;
      }
    }
    lines.push(line);
    length += line.length + 1;
    if (length >= MiB) {
      const piece = Buffer.from(`${lines.join("\n")}\n`, "latin1");
      const take = Math.min(piece.length, size - sent);
      sent += take;
      yield take === piece.length ? piece : piece.subarray(0, take);
      lines = [];
      length = 0;
    }
  }
}

function* randomPieces(size: number): Generator<Buffer> {
  for (let sent = 0; sent < size; ) {
    const n = Math.min(MiB, size - sent);
    sent += n;
    yield randomBytes(n);
  }
}

/** File sizes of one half: a few MB to 20 MB, repeated until the half is full (the last one cut). */
const FILE_PATTERN_MB = [20, 12, 8, 6, 4];

function splitHalf(bytes: number): number[] {
  const sizes: number[] = [];
  for (let left = bytes, k = 0; left > 0; k++) {
    const n = Math.min(left, FILE_PATTERN_MB[k % FILE_PATTERN_MB.length]! * 1_000_000);
    sizes.push(n);
    left -= n;
  }
  return sizes;
}

/**
 * Adds `totalBytes` of attachments to the audit, as an upload stores them: the row, then its
 * bytes as chunk rows through the attachment store, in one transaction per file. Half random
 * bytes (application/zip), half text (text/csv and text/plain, alternating).
 */
export async function addBenchAttachments({ auditId, uploader, totalBytes, seed }: { auditId: string; uploader: TCurrentUser; totalBytes: number; seed: number }): Promise<number> {
  const half = Math.floor(totalBytes / 2);
  const files: { name: string; type: string; evidenceItemId: string; pieces: () => Iterable<Buffer> }[] = [];
  splitHalf(half).forEach((size, k) => {
    files.push({ name: `backup-export-${String(k + 1).padStart(2, "0")}.zip`, type: "application/zip", evidenceItemId: "exports", pieces: () => randomPieces(size) });
  });
  splitHalf(totalBytes - half).forEach((size, k) => {
    const csv = k % 2 === 0;
    files.push({
      name: csv ? `metrics-export-${String(k + 1).padStart(2, "0")}.csv` : `syslog-2026-10-${String(k + 1).padStart(2, "0")}.txt`,
      type: csv ? "text/csv" : "text/plain",
      evidenceItemId: "logs",
      pieces: () => textPieces(size, seed * 1000 + k, csv ? "csv" : "log"),
    });
  });
  for (const f of files) {
    const id = randomUUID();
    await withAttachmentTransaction(async (tx) => {
      await tx.query(
        `INSERT INTO attachment (id, audit_id, evidence_item_id, file_name, content_type, size, sha256, uploaded_by_id) VALUES ($1, $2, $3, $4, $5, 1, '', $6)`,
        [id, auditId, f.evidenceItemId, f.name, f.type, uploader.id],
      );
      const blob = await getAttachmentStore().put(tx, id, toAsync(f.pieces()));
      await tx.query(`UPDATE attachment SET size = $2, sha256 = $3 WHERE id = $1`, [id, blob.size, blob.sha256]);
    });
  }
  return files.length;
}

async function* toAsync(pieces: Iterable<Buffer>): AsyncGenerator<Buffer> {
  yield* pieces;
}

// ── users and audits ────────────────────────────────────────────────────────────────────────

export interface TBenchPeople {
  officer: TCurrentUser;
  reviewer: TCurrentUser;
  admin: TCurrentUser;
}

export async function createBenchPeople(): Promise<TBenchPeople> {
  const make = (subject: string, name: string, roles: TRole[]) =>
    getDb().user.create({
      data: { issuer: "urn:assay:bench", subject, email: `${subject}@bench.example`, name, roles },
      select: { id: true, email: true, name: true, roles: true },
    });
  return {
    officer: await make("bench-officer", "Bench Officer", ["OFFICER"]),
    reviewer: await make("bench-reviewer", "Bench Reviewer", ["REVIEWER"]),
    admin: await make("bench-admin", "Bench Admin", ["ADMIN"]),
  };
}

const RATING_CYCLE: { rating: TRatingValue; note: string | null }[] = [
  { rating: "ACCEPTABLE", note: null },
  { rating: "ACCEPTABLE", note: "Matches what we saw in the ISO 27001 audit report." },
  { rating: "NEEDS_CLARIFICATION", note: "Which zones does this cover? Ask for the restore-test report." },
  { rating: "NOT_ACCEPTABLE", note: "Seven days is far beyond our 24-hour requirement for breach notification." },
  { rating: "NOT_APPLICABLE", note: "We do not use this service." },
];

/**
 * An audit of the bench questionnaire by `people.officer`, with `people.reviewer` as reviewer:
 * every question answered, every fifth answer rated, `attachmentBytes` of attachments, a verdict,
 * signed off. Returns its id.
 */
export async function createSignedOffBenchAudit({
  people,
  questionnaireVersionId,
  providerName,
  attachmentBytes,
  seed,
}: {
  people: TBenchPeople;
  questionnaireVersionId: string;
  providerName: string;
  attachmentBytes: number;
  seed: number;
}): Promise<string> {
  const { officer, reviewer } = people;
  const audit = await createAudit({ actor: officer, input: { questionnaireVersionId, providerName, scope: {} } });
  await addAuditMember({ actor: officer, input: { auditId: audit.id, email: reviewer.email!, role: "REVIEWER" } });
  const { definition } = await getQuestionnaireVersion(questionnaireVersionId);
  const questions = [...walkQuestions(definition)].map((w) => w.question);

  // Answers, a few at a time (different questions never conflict).
  let next = 0;
  await Promise.all(
    Array.from({ length: 6 }, async () => {
      while (next < questions.length) {
        const i = next++;
        const q = questions[i]!;
        await saveAnswer({ actor: userActor(officer), input: { auditId: audit.id, questionId: q.id, value: benchAnswer(q, i), note: null, baseRevision: 0 } });
      }
    }),
  );
  for (let i = 0; i < questions.length; i += 5) {
    const { rating, note } = RATING_CYCLE[(i / 5) % RATING_CYCLE.length]!;
    await rateAnswer({ actor: reviewer, input: { auditId: audit.id, questionId: questions[i]!.id, rating, note, baseRevision: 0 } });
  }
  await addBenchAttachments({ auditId: audit.id, uploader: officer, totalBytes: attachmentBytes, seed });
  const verdict = await recordVerdict({
    actor: reviewer,
    input: {
      auditId: audit.id,
      verdict: "SUITABLE_WITH_CONDITIONS",
      rationale: "Sound controls overall; breach notification and restore testing need contractual commitments.",
      conditions: ["Breach notification within 24 hours in the DPA", "Share the yearly restore-test report"],
      baseRevision: 0,
    },
  });
  await signOffAudit({ actor: reviewer, input: { auditId: audit.id, verdictRevision: verdict.revision } });
  return audit.id;
}

/**
 * A queued package for the audit's current sign-off, as the app requests one (its row and its
 * job; no worker runs here: the bench's child process issues it). `fresh`: the audit is first
 * reopened and signed off again, so that the request makes a new package (one per sign-off).
 */
export async function requestBenchPackage({ people, auditId, fresh }: { people: TBenchPeople; auditId: string; fresh: boolean }): Promise<string> {
  if (fresh) {
    await reopenAudit({ actor: people.admin, input: { auditId, reason: "Benchmark: the next run needs a new sign-off." } });
    const verdict = await getDb().auditVerdict.findUniqueOrThrow({ where: { auditId }, select: { revision: true } });
    await signOffAudit({ actor: people.reviewer, input: { auditId, verdictRevision: verdict.revision } });
  }
  const pkg = await requestEvidencePackage({ user: people.reviewer, input: { auditId } });
  return pkg.id;
}

/** Closes what the setup opened in this process (Prisma, the attachment pool, pg-boss). */
export async function closeBenchSetup(): Promise<void> {
  await stopBoss().catch(() => {});
  await closeAttachmentPool().catch(() => {});
  await getDb().$disconnect().catch(() => {});
}
