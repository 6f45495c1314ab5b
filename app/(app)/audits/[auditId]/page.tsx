import type { Metadata } from "next";
import Link from "next/link";
import { AddMemberForm } from "@/components/audits/add-member-form";
import { AuditStatus } from "@/components/audits/audit-status";
import { ClarificationList } from "@/components/clarifications/clarification-list";
import { InvitePanel } from "@/components/invites/invite-panel";
import { EvidenceChecklist } from "@/components/attachments/evidence-checklist";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { GuidanceText } from "@/components/questionnaire/guidance-text";
import { SectionNav } from "@/components/audits/section-nav";
import { SignedOffBanner } from "@/components/review/signed-off-banner";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Card, CardContent, CardHeader, CardTitle } from "@/components/ui/card";
import { Progress } from "@/components/ui/progress";
import { listAuditEvents } from "@/lib/audit-log/list-audit-events";
import { listClarifications } from "@/lib/clarifications/list-clarifications";
import { listInvites } from "@/lib/invites/list-invites";
import { attachmentLimits } from "@/lib/attachments/add-attachment";
import { getEvidenceStatus } from "@/lib/attachments/get-evidence-status";
import { isMailConfigured } from "@/lib/mail/send-mail";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { loadAuditPage } from "@/lib/audits/load-audit-page";
import { sectionNavItems } from "@/lib/audits/section-nav-items";
import { formatDateTime } from "@/lib/format";
import { percent } from "@/lib/questionnaires/progress";
import { walkQuestions } from "@/lib/questionnaires/schema";

export const metadata: Metadata = { title: "Audit" };

const MEMBER_LABELS = { OWNER: "Owner", OFFICER: "Officer", REVIEWER: "Reviewer" } as const;

export default async function AuditPage({ params }: { params: Promise<{ auditId: string }> }) {
  const { auditId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}`);
  const view = await loadAuditPage(user, auditId);
  const { audit, questionnaire, progress, access } = view;
  const [events, clarifications, invites, evidence] = await Promise.all([
    listAuditEvents({ user, auditId: audit.id, limit: 10 }),
    listClarifications({ user, auditId: audit.id }),
    listInvites({ user, auditId: audit.id }),
    getEvidenceStatus({ user, auditId: audit.id }),
  ]);
  const q = questionnaire.definition;
  const sections = sectionNavItems(view);
  const pct = percent(progress.overall);
  const questionTexts = new Map([...walkQuestions(q)].map((w) => [w.question.id, w.question.text.replaceAll("`", "")]));
  const firstOpen = sections.find((s) => s.progress.requiredAnswered < s.progress.required) ?? sections[0]!;
  // A signed-off audit's answers and files are read-only for everyone.
  const canAnswer = access.can.edit && !access.signedOff;

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="space-y-1">
          <Breadcrumbs items={[{ href: "/audits", label: "Audits" }, { label: audit.providerName }]} />
          <h1 className="text-2xl font-semibold tracking-tight">{audit.providerName}</h1>
          <p className="text-sm text-muted-foreground">
            {questionnaire.title} · version {questionnaire.version} ·{" "}
            <span title={`SHA-256 of the questionnaire version: ${questionnaire.contentHash}`}>fingerprint {questionnaire.contentHash.slice(0, 12)}</span>
          </p>
        </div>
        <div className="flex flex-wrap items-center gap-3">
          <AuditStatus status={audit.status} />
          <Button variant="secondary" asChild>
            <Link href={`/audits/${audit.id}/review`}>Review</Link>
          </Button>
          <Button variant="secondary" asChild>
            <Link href={`/audits/${audit.id}/packages`}>Evidence packages</Link>
          </Button>
          <Button asChild>
            <Link href={`/audits/${audit.id}/sections/${firstOpen.id}`}>{canAnswer ? (pct === 0 ? "Start the interview" : "Continue the interview") : "Read the answers"}</Link>
          </Button>
        </div>
      </div>
      {access.signedOff && <SignedOffBanner signedOffAt={audit.signedOffAt} signedOffBy={audit.signedOffBy?.name ?? audit.signedOffBy?.email} />}

      <div className="grid gap-6 lg:grid-cols-[1fr_20rem]">
        <div className="space-y-6">
          <Card>
            <CardHeader>
              <CardTitle>Progress</CardTitle>
            </CardHeader>
            <CardContent className="space-y-4">
              <div className="flex items-center gap-3">
                <Progress value={pct} label="Required questions answered" />
                <span className="w-44 text-right text-sm tabular-nums" data-testid="overall-progress">
                  {progress.overall.requiredAnswered} of {progress.overall.required} required
                </span>
              </div>
              <SectionNav basePath={`/audits/${audit.id}`} sections={sections} />
            </CardContent>
          </Card>

          <Card>
            <CardContent className="pt-5">
              <InvitePanel
                auditId={audit.id}
                canManage={access.can.manage}
                mailEnabled={isMailConfigured()}
                sections={q.sections.map((s) => ({ id: s.id, title: s.title }))}
                invites={invites}
              />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Clarifications</CardTitle>
            </CardHeader>
            <CardContent>
              <ClarificationList clarifications={clarifications} canEdit={access.can.edit} signedOff={access.signedOff} basePath={`/audits/${audit.id}`} />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Evidence</CardTitle>
            </CardHeader>
            <CardContent>
              <EvidenceChecklist
                items={evidence.items}
                fileBaseUrl="/api/attachments"
                uploadUrl={canAnswer ? `/api/audits/${audit.id}/attachments` : undefined}
                maxFileBytes={attachmentLimits().maxFileBytes}
              />
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>How to run this audit</CardTitle>
            </CardHeader>
            <CardContent>
              <div className="text-sm leading-relaxed">
                <GuidanceText text={q.guidance} />
              </div>
            </CardContent>
          </Card>
        </div>

        <div className="space-y-6">
          <Card>
            <CardHeader>
              <CardTitle>Provider</CardTitle>
            </CardHeader>
            <CardContent className="space-y-3 text-sm">
              <dl className="space-y-2">
                <div>
                  <dt className="text-muted-foreground">Contact</dt>
                  <dd>
                    {audit.providerContactName ?? "—"}
                    {audit.providerContactEmail && <span className="block break-all">{audit.providerContactEmail}</span>}
                  </dd>
                </div>
                <div>
                  <dt className="text-muted-foreground">Scope</dt>
                  <dd>
                    <ul className="mt-1 space-y-1">
                      {q.scopes.map((s) => (
                        <li key={s.id} className={audit.scope[s.id] ? "" : "text-muted-foreground"}>
                          <span aria-hidden>{audit.scope[s.id] ? "✓ " : "✗ "}</span>
                          <span className="sr-only">{audit.scope[s.id] ? "In scope: " : "Not in scope: "}</span>
                          {s.label}
                        </li>
                      ))}
                    </ul>
                  </dd>
                </div>
                <div>
                  <dt className="text-muted-foreground">Opened</dt>
                  <dd>
                    {audit.createdAt.toISOString().slice(0, 10)} by {audit.createdBy.name ?? audit.createdBy.email}
                  </dd>
                </div>
              </dl>
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Members</CardTitle>
            </CardHeader>
            <CardContent className="space-y-4 text-sm">
              <ul className="space-y-2">
                {audit.members.map((m) => (
                  <li key={m.user.id} className="flex items-center justify-between gap-2">
                    <span className="min-w-0 truncate">{m.user.name ?? m.user.email}</span>
                    <Badge variant="muted">{MEMBER_LABELS[m.role]}</Badge>
                  </li>
                ))}
              </ul>
              {access.can.manage && <AddMemberForm auditId={audit.id} />}
            </CardContent>
          </Card>

          <Card>
            <CardHeader>
              <CardTitle>Recent activity</CardTitle>
            </CardHeader>
            <CardContent>
              <ol className="space-y-2 text-sm">
                {events.map((e) => (
                  <li key={e.id}>
                    <span className="font-medium">{e.actor ?? "Someone"}</span> {describeEvent(e, questionTexts)}
                    <time className="block text-xs text-muted-foreground" dateTime={e.createdAt.toISOString()}>
                      {formatDateTime(e.createdAt)}
                    </time>
                  </li>
                ))}
              </ol>
            </CardContent>
          </Card>
        </div>
      </div>
    </div>
  );
}

function describeEvent(e: { action: string; subject: string | null; data: unknown }, questionTexts: Map<string, string>): string {
  const data = (e.data ?? {}) as { email?: string; role?: string; name?: string };
  switch (e.action) {
    case "audit.created":
      return "opened the audit";
    case "answer.saved": {
      const text = e.subject ? questionTexts.get(e.subject) : undefined;
      return text ? `answered “${text.length > 80 ? `${text.slice(0, 79)}…` : text}”` : "saved an answer";
    }
    case "clarification.opened":
      return "asked for a clarification";
    case "clarification.message_posted":
      return (e.data as { internal?: boolean } | null)?.internal ? "added an internal note" : "wrote in a clarification";
    case "clarification.resolved":
      return "resolved a clarification";
    case "clarification.reopened":
      return "reopened a clarification";
    case "invite.created":
      return `invited ${data.name ?? "a provider contact"}`;
    case "invite.revoked":
      return `revoked ${data.name ?? "a"}'s link`;
    case "invite.reissued":
      return `sent ${data.name ?? "a contact"} a new link`;
    case "invite.reopened":
      return `reopened ${data.name ?? "a contact"}'s answers`;
    case "invite.submitted":
      return "submitted their answers";
    case "attachment.added":
      return "attached a file";
    case "attachment.removed":
      return "removed a file";
    case "answer.rated":
      return "rated an answer";
    case "verdict.recorded":
      return "recorded the verdict";
    case "audit.signed_off":
      return "signed off the audit";
    case "audit.reopened":
      return "reopened the audit";
    case "member.added":
      return `added ${data.email ?? "a member"}${data.role ? ` as ${data.role.toLowerCase()}` : ""}`;
    default:
      return e.action;
  }
}
