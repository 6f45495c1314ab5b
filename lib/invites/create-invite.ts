import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import type { TMailer } from "@/lib/mail/send-mail";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { inviteUrl } from "./invite-url";
import { requireInviteManager } from "./require-invite-manager";
import { ZCreateInviteInput, type TCreateInviteInput } from "./schemas";
import { sendInviteEmail, type TInviteEmailOutcome } from "./send-invite-email";
import { generateToken } from "./tokens";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TIssuedInvite extends TInviteEmailOutcome {
  invite: { id: string; auditId: string; name: string; email: string; sections: string[]; expiresAt: Date };
  /** The link's secret. Returned this once; only its SHA-256 is stored, so it cannot be shown again. */
  token: string;
  /** `${base}/r/${token}`. */
  url: string;
}

/**
 * The audit's owner (or an admin) invites a provider's contact to answer through a link,
 * optionally only some sections. The invite and its audit_event commit together; the e-mail
 * (when SMTP is configured) goes out afterwards and cannot undo the invite.
 * `mailer`: left out, the configured one; null, no e-mail (tests pass their own).
 */
export async function createInvite({
  actor,
  input,
  mailer,
  now = new Date(),
}: {
  actor: TCurrentUser;
  input: TCreateInviteInput;
  mailer?: TMailer | null;
  now?: Date;
}): Promise<TIssuedInvite> {
  const parsed = ZCreateInviteInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const data = parsed.data;
  await requireInviteManager(actor, data.auditId);

  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: data.auditId }, select: { providerName: true, questionnaireVersionId: true } });
  // Sections are checked against the version the audit pinned, and kept in questionnaire order.
  const questionnaire = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const known = questionnaire.definition.sections;
  const unknown = data.sections.filter((id) => !known.some((s) => s.id === id));
  if (unknown.length > 0) {
    throw new AppError("INVALID_INPUT", "Some sections are not part of this audit's questionnaire.", {
      fieldErrors: { sections: `unknown section: ${[...new Set(unknown)].join(", ")}` },
    });
  }
  const chosen = known.filter((s) => data.sections.includes(s.id));
  const sections = chosen.map((s) => s.id);

  const { token, tokenHash } = generateToken();
  const expiresAt = new Date(now.getTime() + data.expiresInDays * DAY_MS);
  const invite = await db.$transaction(async (tx) => {
    const row = await tx.invite.create({
      data: { auditId: data.auditId, tokenHash, name: data.name, email: data.email, sections, expiresAt, createdById: actor.id },
      select: { id: true, auditId: true, name: true, email: true, sections: true, expiresAt: true },
    });
    // Never the token (nor its hash): the trail is readable by every member.
    await recordAuditEvent(tx, {
      auditId: data.auditId,
      actorId: actor.id,
      action: "invite.created",
      subject: row.id,
      data: { name: row.name, email: row.email, sections, expiresAt: expiresAt.toISOString() },
    });
    return row;
  });

  const url = inviteUrl(token);
  const mail = await sendInviteEmail({
    mailer,
    to: invite.email,
    respondentName: invite.name,
    inviter: { name: actor.name, email: actor.email },
    providerName: audit.providerName,
    url,
    expiresAt,
    sectionTitles: chosen.map((s) => s.title),
  });
  return { invite, token, url, ...mail };
}
