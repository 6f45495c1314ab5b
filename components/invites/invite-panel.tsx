"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { OneTimeLink } from "@/components/layout/one-time-link";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { formatDateTime } from "@/lib/format";
import { createInviteAction, reissueInviteAction, reopenInviteAction, revokeInviteAction, type TIssuedLink } from "@/lib/invites/actions";
import type { TInviteListItem } from "@/lib/invites/list-invites";
import type { TInviteState } from "@/lib/invites/resolve-invite";
import { INVITE_EXPIRY_DAYS, ZCreateInviteInput, type TCreateInviteInput, type TCreateInviteParsed } from "@/lib/invites/schemas";

export interface InvitePanelProps {
  auditId: string;
  /** access.can.manage: the owner or an admin may invite, revoke, re-issue and reopen. */
  canManage: boolean;
  /** Whether SMTP_URL and MAIL_FROM are set (isMailConfigured()): links are then e-mailed too. */
  mailEnabled: boolean;
  /** The sections of the audit's pinned questionnaire version, in order. */
  sections: { id: string; title: string }[];
  /** listInvites({ user, auditId }). */
  invites: TInviteListItem[];
}

const STATE_BADGES: Record<TInviteState, { label: string; variant: "success" | "default" | "muted" | "warning" | "destructive" }> = {
  active: { label: "Open", variant: "default" },
  submitted: { label: "Submitted", variant: "success" },
  expired: { label: "Expired", variant: "warning" },
  revoked: { label: "Revoked", variant: "muted" },
};

type TConfirm = { inviteId: string; action: "revoke" | "reissue" } | null;

/** The officer's view of provider access: who was invited, how far they are, and the controls. */
export function InvitePanel({ auditId, canManage, mailEnabled, sections, invites }: InvitePanelProps) {
  const router = useRouter();
  const [issued, setIssued] = useState<TIssuedLink | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [confirm, setConfirm] = useState<TConfirm>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const titles = new Map(sections.map((s) => [s.id, s.title]));

  async function run(inviteId: string, action: "revoke" | "reissue" | "reopen") {
    setBusy(inviteId);
    setMessage(null);
    try {
      const ref = { auditId, inviteId };
      if (action === "reissue") {
        const result = await reissueInviteAction({ ...ref, expiresInDays: INVITE_EXPIRY_DAYS.default });
        if (result.ok) setIssued(result.data);
        else setMessage({ tone: "error", text: result.message });
      } else {
        const result = action === "revoke" ? await revokeInviteAction(ref) : await reopenInviteAction(ref);
        setMessage(result.ok ? { tone: "success", text: action === "revoke" ? "The link was revoked; it no longer works." : "Reopened: the contact can change their answers again." } : { tone: "error", text: result.message });
      }
      router.refresh();
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  return (
    <section aria-labelledby="invites-heading" className="space-y-4">
      <div className="space-y-1">
        <h2 id="invites-heading" className="text-base font-semibold">
          Provider access
        </h2>
        <p className="text-sm text-muted-foreground">
          People at the provider answer through a personal link, without an account. A link works until it expires or is revoked.
        </p>
      </div>

      {issued && <IssuedLink link={issued} onDone={() => setIssued(null)} />}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}

      {invites.length === 0 ? (
        <p className="text-sm text-muted-foreground">Nobody has been invited yet.</p>
      ) : (
        <ul className="divide-y divide-border rounded-md border border-border" aria-label="Invited contacts">
          {invites.map((invite) => (
            <li key={invite.id} className={invite.state === "revoked" ? "space-y-2 p-3 text-sm text-muted-foreground" : "space-y-2 p-3 text-sm"}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <div className="min-w-0">
                  <p className="font-medium text-foreground">{invite.name}</p>
                  <p className="break-all">{invite.email}</p>
                </div>
                <Badge variant={STATE_BADGES[invite.state].variant}>{STATE_BADGES[invite.state].label}</Badge>
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-muted-foreground">
                <dt>Sections</dt>
                <dd>{invite.sections.length === 0 ? "All" : invite.sections.map((id) => titles.get(id) ?? id).join(", ")}</dd>
                {invite.state === "revoked" && invite.revokedAt ? (
                  <>
                    <dt>Revoked</dt>
                    <dd>{formatDateTime(invite.revokedAt)}</dd>
                  </>
                ) : (
                  <>
                    <dt>{invite.state === "expired" ? "Expired" : "Expires"}</dt>
                    <dd>{formatDateTime(invite.expiresAt)}</dd>
                  </>
                )}
                <dt>Last used</dt>
                <dd>{invite.lastUsedAt ? formatDateTime(invite.lastUsedAt) : "never"}</dd>
                {invite.submittedAt && (
                  <>
                    <dt>Submitted</dt>
                    <dd>{formatDateTime(invite.submittedAt)}</dd>
                  </>
                )}
                <dt>Sent by</dt>
                <dd>{invite.createdBy ?? "—"}</dd>
              </dl>

              {canManage && invite.state !== "revoked" && (
                <InviteActions
                  invite={invite}
                  confirming={confirm?.inviteId === invite.id ? confirm.action : null}
                  busy={busy === invite.id}
                  onAsk={(action) => setConfirm({ inviteId: invite.id, action })}
                  onCancel={() => setConfirm(null)}
                  onRun={(action) => void run(invite.id, action)}
                />
              )}
            </li>
          ))}
        </ul>
      )}

      {canManage && <InviteForm auditId={auditId} mailEnabled={mailEnabled} sections={sections} onIssued={setIssued} />}
    </section>
  );
}

function InviteActions({
  invite,
  confirming,
  busy,
  onAsk,
  onCancel,
  onRun,
}: {
  invite: TInviteListItem;
  confirming: "revoke" | "reissue" | null;
  busy: boolean;
  onAsk: (action: "revoke" | "reissue") => void;
  onCancel: () => void;
  onRun: (action: "revoke" | "reissue" | "reopen") => void;
}) {
  if (confirming) {
    const text =
      confirming === "revoke"
        ? `Revoke ${invite.name}'s link? It stops working at once.`
        : `Re-issue ${invite.name}'s link? The current link stops working and a new one is made.`;
    return (
      <div role="group" aria-label="Confirm" className="space-y-2 rounded-md border border-border bg-muted/60 p-2">
        <p className="text-sm text-foreground">{text}</p>
        <div className="flex flex-wrap gap-2">
          <Button size="sm" variant={confirming === "revoke" ? "destructive" : "default"} disabled={busy} autoFocus onClick={() => onRun(confirming)}>
            {busy ? "Working…" : confirming === "revoke" ? "Yes, revoke" : "Yes, re-issue"}
          </Button>
          <Button size="sm" variant="secondary" disabled={busy} onClick={onCancel}>
            Cancel
          </Button>
        </div>
      </div>
    );
  }
  return (
    <div className="flex flex-wrap gap-2">
      {invite.state === "submitted" && (
        <Button size="sm" variant="secondary" disabled={busy} onClick={() => onRun("reopen")} aria-label={`Reopen ${invite.name}'s answers for editing`}>
          {busy ? "Working…" : "Reopen"}
        </Button>
      )}
      <Button size="sm" variant="secondary" disabled={busy} onClick={() => onAsk("reissue")} aria-label={`Re-issue ${invite.name}'s link`}>
        Re-issue
      </Button>
      <Button size="sm" variant="ghost" className="text-destructive" disabled={busy} onClick={() => onAsk("revoke")} aria-label={`Revoke ${invite.name}'s link`}>
        Revoke
      </Button>
    </div>
  );
}

/** The new link, shown once: Assay keeps only its fingerprint. */
function IssuedLink({ link, onDone }: { link: TIssuedLink; onDone: () => void }) {
  return (
    <OneTimeLink title={`Link for ${link.name}`} fieldLabel="Invite link" url={link.url} onDone={onDone} className="text-sm">
      <p>
        <strong>This link is shown only now.</strong> Assay stores only a fingerprint of it and cannot show it again; if it is lost, re-issue
        the invite. It works until {formatDateTime(link.expiresAt)}.
      </p>
      <p>
        {link.emailed
          ? `It was e-mailed to ${link.email}.`
          : link.emailError
            ? `It could not be e-mailed: ${link.emailError} Send it to ${link.email} yourself.`
            : `It was not e-mailed (e-mail is not set up). Send it to ${link.email} yourself.`}
      </p>
    </OneTimeLink>
  );
}

function InviteForm({
  auditId,
  mailEnabled,
  sections,
  onIssued,
}: {
  auditId: string;
  mailEnabled: boolean;
  sections: { id: string; title: string }[];
  onIssued: (link: TIssuedLink) => void;
}) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const empty: TCreateInviteInput = { auditId, name: "", email: "", sections: [], expiresInDays: INVITE_EXPIRY_DAYS.default };
  const { register, handleSubmit, setError, reset, formState } = useForm<TCreateInviteInput, unknown, TCreateInviteParsed>({
    resolver: zodResolver(ZCreateInviteInput),
    defaultValues: empty,
  });
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await createInviteAction(values);
    if (result.ok) {
      reset(empty);
      onIssued(result.data);
      router.refresh();
      return;
    }
    // Field errors speak for themselves beside their field; the banner is for the rest.
    if (!result.fieldErrors) setFormError(result.message);
    for (const [field, msg] of Object.entries(result.fieldErrors ?? {})) setError(field as keyof TCreateInviteInput, { message: msg });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-border pt-4" aria-labelledby="invite-form-title">
      <p id="invite-form-title" className="font-medium">
        Invite a contact at the provider
      </p>
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor="invite-name">Contact's name</Label>
          <Input id="invite-name" autoComplete="off" aria-invalid={!!errors.name} aria-describedby="invite-name-error" {...register("name")} />
          <FieldError id="invite-name-error" message={errors.name?.message} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="invite-email">Contact's e-mail</Label>
          <Input id="invite-email" type="email" autoComplete="off" aria-invalid={!!errors.email} aria-describedby="invite-email-error" {...register("email")} />
          <FieldError id="invite-email-error" message={errors.email?.message} />
        </div>
      </div>

      {sections.length > 1 && (
        <fieldset className="space-y-2" aria-describedby="invite-sections-hint invite-sections-error">
          <legend className="text-sm font-medium">
            Sections <span className="font-normal text-muted-foreground">(optional)</span>
          </legend>
          <p id="invite-sections-hint" className="text-sm text-muted-foreground">
            Tick the sections this person should answer. None ticked: the whole questionnaire.
          </p>
          <div className="grid gap-1.5 sm:grid-cols-2">
            {sections.map((s) => (
              <div key={s.id} className="flex items-start gap-2">
                <input id={`invite-section-${s.id}`} type="checkbox" value={s.id} className="mt-0.5 size-4 shrink-0 accent-primary" {...register("sections")} />
                <Label htmlFor={`invite-section-${s.id}`} className="font-normal leading-snug">
                  {s.title}
                </Label>
              </div>
            ))}
          </div>
          <FieldError id="invite-sections-error" message={(errors.sections as { message?: string } | undefined)?.message} />
        </fieldset>
      )}

      <div className="space-y-1.5">
        <Label htmlFor="invite-days">Link valid for (days)</Label>
        <Input
          id="invite-days"
          type="number"
          inputMode="numeric"
          min={INVITE_EXPIRY_DAYS.min}
          max={INVITE_EXPIRY_DAYS.max}
          className="w-28"
          aria-invalid={!!errors.expiresInDays}
          aria-describedby="invite-days-hint invite-days-error"
          {...register("expiresInDays", { valueAsNumber: true })}
        />
        <p id="invite-days-hint" className="text-xs text-muted-foreground">
          {INVITE_EXPIRY_DAYS.min}–{INVITE_EXPIRY_DAYS.max} days.
        </p>
        <FieldError id="invite-days-error" message={errors.expiresInDays?.message} />
      </div>

      <p className="text-xs text-muted-foreground">
        {mailEnabled ? "Assay e-mails the link to this address, and shows it to you once." : "E-mail is not set up: Assay shows you the link once, for you to send."}
      </p>
      <Button type="submit" size="sm" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : mailEnabled ? "Invite and e-mail the link" : "Create the link"}
      </Button>
    </form>
  );
}
