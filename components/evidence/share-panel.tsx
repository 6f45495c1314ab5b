"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { OneTimeLink } from "@/components/layout/one-time-link";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label } from "@/components/ui/input";
import { createPackageShareAction, revokePackageShareAction, type TIssuedShareLink } from "@/lib/evidence/shares/actions";
import { SHARE_EXPIRY_DAYS, ZCreatePackageShareInput, type TCreatePackageShareInput, type TCreatePackageShareParsed } from "@/lib/evidence/shares/schemas";
import type { TPackageShareState } from "@/lib/evidence/shares/share-state";
import type { TPackageShareView } from "@/lib/evidence/shares/share-view";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";

/** Server-friendly: plain data, rendered per READY package on the audit's packages page. */
export interface SharePanelProps {
  packageId: string;
  /** listPackageShares({ user, auditId })[packageId] ?? []. */
  shares: TPackageShareView[];
  /** canIssuePackages: the audit's officers and reviewers (and admins) make and revoke links. */
  canShare: boolean;
  /** The package carries the team's internal notes: warn before sharing it outside. */
  includesInternalNotes?: boolean;
}

const STATE_BADGES: Record<TPackageShareState, { label: string; variant: "default" | "warning" | "muted" }> = {
  active: { label: "Active", variant: "default" },
  expired: { label: "Expired", variant: "warning" },
  revoked: { label: "Revoked", variant: "muted" },
};

/**
 * Share links of one issued package, for people without an account (an external ISO 27001
 * auditor): make one (who it is for, how long it works), see it once with a copy button, see
 * who has links and how often they downloaded, revoke.
 */
export function SharePanel({ packageId, shares: initial, canShare, includesInternalNotes = false }: SharePanelProps) {
  const router = useRouter();
  const uid = useId();
  const [shares, setShares] = useState(initial);
  const [issued, setIssued] = useState<TIssuedShareLink | null>(null);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [confirm, setConfirm] = useState<string | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  // The server's list wins when the page is refreshed (a link made or revoked in another tab).
  const [seen, setSeen] = useState(initial);
  if (seen !== initial) {
    setSeen(initial);
    setShares(initial);
  }

  async function revoke(share: TPackageShareView) {
    setBusy(share.id);
    setMessage(null);
    try {
      const result = await revokePackageShareAction({ packageId, shareId: share.id });
      if (result.ok) {
        setShares((all) => all.map((s) => (s.id === share.id ? { ...s, state: "revoked", revokedAt: result.data.revokedAt } : s)));
        setMessage({ tone: "success", text: `The link for ${share.label} was revoked; it no longer works.` });
      } else {
        setMessage({ tone: "error", text: result.message });
      }
      router.refresh();
    } finally {
      setBusy(null);
      setConfirm(null);
    }
  }

  return (
    <section aria-labelledby={`${uid}-heading`} className="space-y-3 border-t border-border pt-3">
      <div className="space-y-0.5">
        <h4 id={`${uid}-heading`} className="font-medium">
          Share links
        </h4>
        <p className="text-muted-foreground">
          An expiring download link for someone without an account, such as an external ISO 27001 auditor. Every download through it is recorded.
        </p>
      </div>

      {issued && <IssuedShareLink link={issued} onDone={() => setIssued(null)} />}
      {message && <Alert tone={message.tone}>{message.text}</Alert>}

      {shares.length > 0 && (
        <ul className="divide-y divide-border rounded-md border border-border" aria-label="Share links">
          {shares.map((share) => (
            <li key={share.id} className={cn("space-y-2 p-3", share.state !== "active" && "text-muted-foreground")} data-share-id={share.id}>
              <div className="flex flex-wrap items-start justify-between gap-2">
                <p className="min-w-0 break-words font-medium text-foreground">{share.label}</p>
                <Badge variant={STATE_BADGES[share.state].variant}>{STATE_BADGES[share.state].label}</Badge>
              </div>
              <dl className="grid grid-cols-[auto_1fr] gap-x-3 gap-y-0.5 text-xs text-muted-foreground">
                <dt>Created</dt>
                <dd>
                  {formatDateTime(share.createdAt)}
                  {share.createdBy ? ` by ${share.createdBy}` : ""}
                </dd>
                {share.state === "revoked" && share.revokedAt ? (
                  <>
                    <dt>Revoked</dt>
                    <dd>{formatDateTime(share.revokedAt)}</dd>
                  </>
                ) : (
                  <>
                    <dt>{share.state === "expired" ? "Expired" : "Expires"}</dt>
                    <dd>{formatDateTime(share.expiresAt)}</dd>
                  </>
                )}
                <dt>Downloads</dt>
                <dd>
                  {share.downloads === 0 ? "none yet" : `${share.downloads}, last ${formatDateTime(share.lastDownloadAt!)}`}
                </dd>
              </dl>
              {canShare && share.state === "active" && (
                confirm === share.id ? (
                  <div role="group" aria-label="Confirm" className="space-y-2 rounded-md border border-border bg-muted/60 p-2">
                    <p className="text-foreground">Revoke the link for {share.label}? It stops working at once.</p>
                    <div className="flex flex-wrap gap-2">
                      <Button size="sm" variant="destructive" disabled={busy === share.id} autoFocus onClick={() => void revoke(share)}>
                        {busy === share.id ? "Revoking…" : "Yes, revoke"}
                      </Button>
                      <Button size="sm" variant="secondary" disabled={busy === share.id} onClick={() => setConfirm(null)}>
                        Cancel
                      </Button>
                    </div>
                  </div>
                ) : (
                  <Button size="sm" variant="ghost" className="-ml-3 text-destructive" onClick={() => setConfirm(share.id)} aria-label={`Revoke the link for ${share.label}`}>
                    Revoke
                  </Button>
                )
              )}
            </li>
          ))}
        </ul>
      )}

      {canShare && (
        <ShareForm
          packageId={packageId}
          includesInternalNotes={includesInternalNotes}
          onIssued={(link) => {
            setIssued(link);
            setMessage(null);
            setShares((all) => [link.share, ...all.filter((s) => s.id !== link.share.id)]);
            router.refresh();
          }}
        />
      )}
    </section>
  );
}

/** The new link, shown once: Assay keeps only its fingerprint. */
function IssuedShareLink({ link, onDone }: { link: TIssuedShareLink; onDone: () => void }) {
  return (
    <OneTimeLink title={`Link for ${link.share.label}`} fieldLabel="Share link" url={link.url} onDone={onDone}>
      <p>
        <strong>This link is shown only now.</strong> Assay stores only a fingerprint of it and cannot show it again; if it is lost, revoke it and make
        a new one. It works until {formatDateTime(link.share.expiresAt)}. Send it yourself, to {link.share.label} only.
      </p>
    </OneTimeLink>
  );
}

function ShareForm({ packageId, includesInternalNotes, onIssued }: { packageId: string; includesInternalNotes: boolean; onIssued: (link: TIssuedShareLink) => void }) {
  const uid = useId();
  const [formError, setFormError] = useState<string | null>(null);
  const empty: TCreatePackageShareInput = { packageId, label: "", expiresInDays: SHARE_EXPIRY_DAYS.default };
  const { register, handleSubmit, setError, reset, formState } = useForm<TCreatePackageShareInput, unknown, TCreatePackageShareParsed>({
    resolver: zodResolver(ZCreatePackageShareInput),
    defaultValues: empty,
  });
  const errors = formState.errors;
  const ids = { label: `${uid}-label`, days: `${uid}-days` };

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await createPackageShareAction(values);
    if (result.ok) {
      reset(empty);
      onIssued(result.data);
      return;
    }
    // Field errors speak for themselves beside their field; the banner is for the rest.
    if (!result.fieldErrors) setFormError(result.message);
    for (const [field, msg] of Object.entries(result.fieldErrors ?? {})) setError(field as keyof TCreatePackageShareInput, { message: msg });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-labelledby={`${uid}-title`}>
      <p id={`${uid}-title`} className="font-medium">
        Make a download link
      </p>
      {includesInternalNotes && (
        <Alert tone="warning">This version includes the audit team&apos;s internal notes. Share it only with people who may read them.</Alert>
      )}
      {formError && <Alert tone="error">{formError}</Alert>}
      <div className="grid gap-3 sm:grid-cols-[1fr_10rem]">
        <div className="space-y-1.5">
          <Label htmlFor={ids.label}>For whom</Label>
          <Input
            id={ids.label}
            autoComplete="off"
            placeholder="e.g. External auditor, Example GmbH"
            aria-invalid={!!errors.label}
            aria-describedby={`${ids.label}-error`}
            {...register("label")}
          />
          <FieldError id={`${ids.label}-error`} message={errors.label?.message} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor={ids.days}>Works for (days)</Label>
          <Input
            id={ids.days}
            type="number"
            inputMode="numeric"
            min={SHARE_EXPIRY_DAYS.min}
            max={SHARE_EXPIRY_DAYS.max}
            aria-invalid={!!errors.expiresInDays}
            aria-describedby={`${ids.days}-error`}
            {...register("expiresInDays", { valueAsNumber: true })}
          />
          <FieldError id={`${ids.days}-error`} message={errors.expiresInDays?.message} />
        </div>
      </div>
      <Button type="submit" size="sm" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Creating…" : "Create the link"}
      </Button>
    </form>
  );
}
