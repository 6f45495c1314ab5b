import "server-only";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";
import { buildEvidenceChecklist } from "./render/build-evidence-checklist";
import type { TPackageAttachmentRecord, TPackageClarification, TPackageRecord, TRating, TVerdict } from "./render/package-data";

const iso = (d: Date) => d.toISOString();
const nameOf = (u: { name: string | null; email: string | null } | null | undefined) => (u ? (u.name ?? u.email ?? "A former user") : null);

/**
 * Everything an audit's evidence package shows, read from the database as it is now (the caller
 * holds a signed-off audit, so it does not change underneath), as plain data for the package
 * worker. Attachments' bytes are not read here: the worker streams each one's stored chunks when
 * it embeds it.
 */
export async function loadPackageData({
  auditId,
  packageInfo,
  today = new Date(),
}: {
  auditId: string;
  packageInfo: TPackageRecord["package"];
  today?: Date;
}): Promise<TPackageRecord> {
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({
    where: { id: auditId },
    select: {
      id: true,
      providerName: true,
      questionnaireVersionId: true,
      scope: true,
      status: true,
      createdAt: true,
      updatedAt: true,
      members: { select: { userId: true, role: true } },
      invites: { select: { submittedAt: true }, where: { submittedAt: { not: null } }, orderBy: { submittedAt: "desc" }, take: 1 },
    },
  });
  const version = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const [answers, ratings, verdict, clarifications, attachments, events] = await Promise.all([
    db.answer.findMany({
      where: { auditId },
      select: { questionId: true, value: true, updatedAt: true, updatedBy: { select: { name: true, email: true } }, updatedByInvite: { select: { name: true } } },
    }),
    db.answerRating.findMany({ where: { auditId }, select: { questionId: true, rating: true, note: true, ratedAt: true, ratedBy: { select: { name: true, email: true } } } }),
    db.auditVerdict.findUnique({ where: { auditId }, select: { verdict: true, rationale: true, conditions: true, decidedAt: true, decidedBy: { select: { name: true, email: true } } } }),
    db.clarification.findMany({
      where: { auditId },
      orderBy: { createdAt: "asc" },
      select: {
        questionId: true,
        status: true,
        createdAt: true,
        createdBy: { select: { name: true, email: true } },
        messages: {
          orderBy: { createdAt: "asc" },
          select: { body: true, internal: true, createdAt: true, authorId: true, author: { select: { name: true, email: true } }, authorInvite: { select: { name: true } } },
        },
      },
    }),
    db.attachment.findMany({
      where: { auditId },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        fileName: true,
        contentType: true,
        size: true,
        sha256: true,
        createdAt: true,
        questionId: true,
        evidenceItemId: true,
        certificateIssuer: true,
        certificateScope: true,
        certificateExpiresOn: true,
        uploadedBy: { select: { name: true, email: true } },
        uploadedByInvite: { select: { name: true } },
      },
    }),
    db.auditEvent.findMany({
      where: { auditId },
      orderBy: { id: "asc" },
      select: { createdAt: true, action: true, subject: true, actor: { select: { name: true, email: true } }, invite: { select: { name: true } } },
    }),
  ]);

  const memberRole = new Map(audit.members.map((m) => [m.userId, m.role]));
  const roleLabel = (userId: string | null) => {
    if (userId === null) return "provider";
    const role = memberRole.get(userId);
    return role === "REVIEWER" ? "reviewer" : role ? "officer" : "audit team";
  };

  const packageAttachments: TPackageAttachmentRecord[] = attachments.map((a) => ({
    id: a.id,
    fileName: a.fileName,
    mediaType: a.contentType,
    size: Number(a.size),
    sha256: a.sha256,
    uploadedBy: a.uploadedBy ? nameOf(a.uploadedBy) : a.uploadedByInvite ? `Provider: ${a.uploadedByInvite.name}` : null,
    uploadedAt: iso(a.createdAt),
    questionId: a.questionId,
    evidenceItemId: a.evidenceItemId,
    certificate:
      a.certificateIssuer || a.certificateScope || a.certificateExpiresOn
        ? { issuer: a.certificateIssuer, scope: a.certificateScope, expiresAt: a.certificateExpiresOn ? a.certificateExpiresOn.toISOString().slice(0, 10) : null }
        : null,
  }));

  const threads: Record<string, TPackageClarification[]> = {};
  for (const c of clarifications) {
    (threads[c.questionId] ??= []).push({
      status: c.status.toLowerCase() as TPackageClarification["status"],
      openedBy: nameOf(c.createdBy) ?? "A former user",
      openedAt: iso(c.createdAt),
      messages: c.messages.map((m) => ({
        author: m.author ? (nameOf(m.author) ?? "A former user") : (m.authorInvite?.name ?? "Provider"),
        role: roleLabel(m.authorId),
        body: m.body,
        at: iso(m.createdAt),
        internal: m.internal,
      })),
    });
  }

  return {
    audit: {
      id: audit.id,
      providerName: audit.providerName,
      title: `${version.title}: ${audit.providerName}`,
      status: audit.status === "SIGNED_OFF" ? "signed off" : "in progress",
      createdAt: iso(audit.createdAt),
      updatedAt: iso(audit.updatedAt),
      submittedAt: audit.invites[0]?.submittedAt ? iso(audit.invites[0].submittedAt) : null,
    },
    questionnaire: { slug: version.slug, version: version.version, title: version.title, contentHash: version.contentHash, definition: version.definition },
    scope: audit.scope as Record<string, boolean>,
    answers: Object.fromEntries(
      answers.map((a) => [
        a.questionId,
        { value: (a.value ?? null) as TAnswerValue, updatedBy: a.updatedBy ? nameOf(a.updatedBy) : a.updatedByInvite ? `Provider: ${a.updatedByInvite.name}` : null, updatedAt: iso(a.updatedAt) },
      ]),
    ),
    ratings: Object.fromEntries(
      ratings.map((r) => [r.questionId, { rating: r.rating.toLowerCase() as TRating, note: r.note, by: nameOf(r.ratedBy) ?? "A former user", at: iso(r.ratedAt) }]),
    ),
    verdict: verdict
      ? { verdict: verdict.verdict.toLowerCase() as TVerdict, rationale: verdict.rationale, conditions: verdict.conditions, by: nameOf(verdict.decidedBy) ?? "A former user", at: iso(verdict.decidedAt) }
      : null,
    clarifications: threads,
    checklist: buildEvidenceChecklist({ definition: version.definition, attachments: packageAttachments, today: today.toISOString().slice(0, 10) }),
    attachments: packageAttachments,
    events: events.map((e) => ({
      at: iso(e.createdAt),
      actor: e.actor ? nameOf(e.actor) : e.invite ? `Provider: ${e.invite.name}` : null,
      action: e.action,
      subject: e.subject,
    })),
    package: packageInfo,
  };
}
