import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { TMailer } from "@/lib/mail/send-mail";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import type { TIssuedInvite } from "./create-invite";
import { inviteUrl } from "./invite-url";
import { requireInviteManager } from "./require-invite-manager";
import { ZReissueInviteInput, type TReissueInviteInput } from "./schemas";
import { sendInviteEmail } from "./send-invite-email";
import { generateToken } from "./tokens";

const DAY_MS = 24 * 60 * 60 * 1000;

/**
 * A new link for the same contact and sections (lost link, expired, or possibly leaked): the
 * old invite is revoked and the new one created in one transaction, so exactly one of them
 * works at any moment. The new invite keeps the old one's submission: a submitted respondent
 * stays read-only until an officer reopens. A revoked invite cannot be re-issued (invite the
 * contact again): that also makes two concurrent re-issues produce one link, not two.
 */
export async function reissueInvite({
  actor,
  input,
  mailer,
  now = new Date(),
}: {
  actor: TCurrentUser;
  input: TReissueInviteInput;
  mailer?: TMailer | null;
  now?: Date;
}): Promise<TIssuedInvite> {
  const parsed = ZReissueInviteInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, inviteId, expiresInDays } = parsed.data;
  await requireInviteManager(actor, auditId);

  const { token, tokenHash } = generateToken();
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
  const db = getDb();
  const invite = await db.$transaction(async (tx) => {
    const old = await tx.invite.findFirst({
      where: { id: inviteId, auditId },
      select: { id: true, name: true, email: true, sections: true, submittedAt: true },
    });
    if (!old) throw new AppError("NOT_FOUND", "This invite does not exist.");
    const { count } = await tx.invite.updateMany({ where: { id: old.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("CONFLICT", "This link was already revoked or re-issued. Invite the contact again instead.");
    const row = await tx.invite.create({
      data: { auditId, tokenHash, name: old.name, email: old.email, sections: old.sections, expiresAt, submittedAt: old.submittedAt, createdById: actor.id },
      select: { id: true, auditId: true, name: true, email: true, sections: true, expiresAt: true },
    });
    await recordAuditEvent(tx, {
      auditId,
      actorId: actor.id,
      action: "invite.reissued",
      subject: row.id,
      data: { previousInviteId: old.id, name: row.name, email: row.email, sections: row.sections, expiresAt: expiresAt.toISOString() },
    });
    return row;
  });

  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { providerName: true, questionnaireVersionId: true } });
  const questionnaire = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const url = inviteUrl(token);
  const mail = await sendInviteEmail({
    mailer,
    to: invite.email,
    respondentName: invite.name,
    inviter: { name: actor.name, email: actor.email },
    providerName: audit.providerName,
    url,
    expiresAt,
    sectionTitles: questionnaire.definition.sections.filter((s) => invite.sections.includes(s.id)).map((s) => s.title),
  });
  return { invite, token, url, ...mail };
}
