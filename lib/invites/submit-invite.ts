import "server-only";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, auditSignedOffError } from "@/lib/errors";
import { sendMail } from "@/lib/mail/send-mail";
import { providerSubmittedEmail } from "@/lib/mail/templates";
import { lockAudit } from "@/lib/review/lock-audit";
import type { TRequiredInvite } from "./find-invite";
import { getRespondentView, missingRequired } from "./get-respondent-view";
import { appBaseUrl } from "./invite-url";

/**
 * A provider submits their answers: refused while a required question is unanswered (the
 * missing ones come back in `details.missing`, with their sections, for links). Submitting makes
 * the link read-only until an officer reopens it, and notifies the audit's officers in the app,
 * in the same transaction; the e-mail notice goes out after the commit, when SMTP is set up.
 *
 * Refused once the audit is signed off (its answers are read-only, there is nothing left to hand
 * in): checked first so that the provider is not told about unanswered questions they can no
 * longer answer, and again under the audit row's lock, which sign-off takes too, so a submit
 * racing a sign-off cannot commit after it.
 */
export async function submitInvite({ invite }: { invite: TRequiredInvite }) {
  if (invite.state !== "active") throw new AppError("FORBIDDEN", "These answers can no longer be submitted through this link.");
  const view = await getRespondentView(invite);
  if (view.signedOff) throw auditSignedOffError("its answers are");
  const missing = missingRequired(view);
  if (missing.length > 0) {
    throw new AppError("INVALID_INPUT", `${missing.length} required question${missing.length === 1 ? " is" : "s are"} still unanswered.`, {
      details: { missing },
    });
  }
  const db = getDb();
  const submittedAt = new Date();
  const officers = await db.$transaction(async (tx) => {
    if ((await lockAudit(tx, invite.auditId)).status === "SIGNED_OFF") throw auditSignedOffError("its answers are");
    // Only an active, unsubmitted invite flips: a second click or a concurrent submit does nothing.
    const { count } = await tx.invite.updateMany({ where: { id: invite.id, submittedAt: null, revokedAt: null }, data: { submittedAt } });
    if (count === 0) throw new AppError("CONFLICT", "These answers were already submitted.");
    await recordAuditEvent(tx, { auditId: invite.auditId, actorId: null, inviteId: invite.id, action: "invite.submitted", data: { name: invite.name } });
    const members = await tx.auditMember.findMany({
      where: { auditId: invite.auditId, role: { in: ["OWNER", "OFFICER"] } },
      select: { userId: true, user: { select: { email: true, name: true } } },
    });
    await tx.notification.createMany({
      data: members.map((m) => ({
        userId: m.userId,
        auditId: invite.auditId,
        kind: "invite.submitted",
        message: `${invite.name} submitted their answers for ${invite.providerName}.`,
      })),
    });
    return members.map((m) => m.user);
  });
  // After the commit: a mail server that is down must not undo the submission.
  for (const officer of officers) {
    if (!officer.email) continue;
    const mail = providerSubmittedEmail({
      officerName: officer.name,
      respondentName: invite.name,
      respondentEmail: invite.email,
      providerName: invite.providerName,
      auditUrl: `${appBaseUrl()}/audits/${invite.auditId}`,
      submittedAt,
    });
    await sendMail({ to: officer.email, kind: "provider-submitted", ...mail });
  }
}
