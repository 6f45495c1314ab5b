import "server-only";
import { getMailer, sendMail, type TMailer } from "@/lib/mail/send-mail";
import { inviteEmail } from "@/lib/mail/templates";

export interface TInviteEmailOutcome {
  emailed: boolean;
  /** Why not, when mail is configured but sending failed (a reference, never the SMTP reply). */
  emailError?: string;
}

/**
 * E-mails a freshly issued link to its contact. Called after the invite's transaction has
 * committed: a failed mail leaves the invite in place and the officer copies the link instead.
 * `mailer` undefined: the configured one (SMTP_URL, MAIL_FROM); null: do not send.
 */
export async function sendInviteEmail({
  mailer,
  to,
  respondentName,
  inviter,
  providerName,
  url,
  expiresAt,
  sectionTitles,
}: {
  mailer: TMailer | null | undefined;
  to: string;
  respondentName: string;
  inviter: { name: string | null; email: string | null };
  providerName: string;
  url: string;
  expiresAt: Date;
  sectionTitles: string[];
}): Promise<TInviteEmailOutcome> {
  const configured = mailer === undefined ? getMailer() : mailer;
  if (!configured) return { emailed: false };
  const content = inviteEmail({ respondentName, inviterName: inviter.name, inviterEmail: inviter.email, providerName, url, expiresAt, sectionTitles });
  const result = await sendMail({ ...content, to, replyTo: inviter.email ?? undefined, kind: "invite" }, configured);
  return result.sent ? { emailed: true } : { emailed: false, emailError: result.error };
}
