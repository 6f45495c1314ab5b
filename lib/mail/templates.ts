import { formatDateTime } from "@/lib/format";

// Mail bodies: plain text first (what many security teams read), and a simple HTML part with
// the same content. Every value from users is escaped in HTML and put on one line in subjects.

export interface TMailContent {
  subject: string;
  text: string;
  html: string;
}

export interface TInviteEmailInput {
  respondentName: string;
  inviterName: string | null;
  inviterEmail: string | null;
  providerName: string;
  /** The link with its token: a credential. */
  url: string;
  expiresAt: Date;
  /** Titles of the delegated sections; empty: the whole questionnaire. */
  sectionTitles: string[];
}

/** To a provider's contact: who asks, about which provider, the link, until when it works. */
export function inviteEmail(p: TInviteEmailInput): TMailContent {
  const inviter = p.inviterName ?? p.inviterEmail ?? "A compliance officer";
  const inviterFull = p.inviterName && p.inviterEmail ? `${p.inviterName} (${p.inviterEmail})` : inviter;
  const scope =
    p.sectionTitles.length === 0
      ? "the whole questionnaire"
      : `these sections of the questionnaire: ${p.sectionTitles.join(", ")}`;
  const expires = formatDateTime(p.expiresAt);
  const text = [
    `Hello ${p.respondentName},`,
    "",
    `${inviterFull} asks you to answer the security due-diligence questionnaire for ${p.providerName}, ${scope}.`,
    "",
    "Open this personal link to answer (no account is needed):",
    p.url,
    "",
    `The link works until ${expires}. You can save and come back to it; nothing is shared until you submit.`,
    "Please do not forward it: anyone with the link can answer on your behalf.",
    "",
    `Questions? Reply to this e-mail or write to ${p.inviterEmail ?? inviter}.`,
    "",
    "— Sent by Assay",
  ].join("\n");
  const html = page(
    `<p>Hello ${esc(p.respondentName)},</p>
<p>${esc(inviterFull)} asks you to answer the security due-diligence questionnaire for <strong>${esc(p.providerName)}</strong>, ${esc(scope)}.</p>
<p><a href="${esc(p.url)}" style="display:inline-block;padding:10px 16px;background:#1d4ed8;color:#ffffff;border-radius:6px;text-decoration:none">Open the questionnaire</a></p>
<p style="font-size:13px;color:#475569">Or copy this link into your browser:<br><span style="word-break:break-all">${esc(p.url)}</span></p>
<p>The link works until <strong>${esc(expires)}</strong>. You can save and come back to it; nothing is shared until you submit.</p>
<p>Please do not forward it: anyone with the link can answer on your behalf.</p>
<p>Questions? Reply to this e-mail${p.inviterEmail ? ` or write to ${esc(p.inviterEmail)}` : ""}.</p>`,
  );
  return { subject: oneLine(`Security questionnaire for ${p.providerName}: please answer by ${expires.slice(0, 10)}`), text, html };
}

export interface TProviderSubmittedEmailInput {
  officerName: string | null;
  respondentName: string;
  respondentEmail: string;
  providerName: string;
  /** The audit's page in Assay (sign-in required; not a secret). */
  auditUrl: string;
  submittedAt: Date;
}

/** To the audit's officers: a provider's contact submitted their answers. */
export function providerSubmittedEmail(p: TProviderSubmittedEmailInput): TMailContent {
  const when = formatDateTime(p.submittedAt);
  const text = [
    `Hello${p.officerName ? ` ${p.officerName}` : ""},`,
    "",
    `${p.respondentName} (${p.respondentEmail}) submitted their answers for ${p.providerName} on ${when}.`,
    "",
    "Review them in Assay:",
    p.auditUrl,
    "",
    "Their link is read-only now; reopen it in Assay if they need to change something.",
    "",
    "— Sent by Assay",
  ].join("\n");
  const html = page(
    `<p>Hello${p.officerName ? ` ${esc(p.officerName)}` : ""},</p>
<p>${esc(p.respondentName)} (${esc(p.respondentEmail)}) submitted their answers for <strong>${esc(p.providerName)}</strong> on ${esc(when)}.</p>
<p><a href="${esc(p.auditUrl)}">Review them in Assay</a></p>
<p style="font-size:13px;color:#475569">Their link is read-only now; reopen it in Assay if they need to change something.</p>`,
  );
  return { subject: oneLine(`${p.providerName}: ${p.respondentName} submitted the questionnaire`), text, html };
}

function page(body: string): string {
  return `<!doctype html><html><body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;font-size:15px;line-height:1.5;color:#0f172a;max-width:600px">
${body}
<p style="font-size:12px;color:#475569">— Sent by Assay</p>
</body></html>`;
}

export function esc(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** Header values on one line: a line break in a provider's name must not start a new header. */
function oneLine(s: string): string {
  return s.replace(/[\r\n\t]+/g, " ").replace(/\s{2,}/g, " ").trim().slice(0, 250);
}
