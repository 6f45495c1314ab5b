"use client";

import { useRouter } from "next/navigation";
import { useEffect, useState, useTransition } from "react";
import { Alert } from "@/components/ui/alert";
import { Badge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { Progress } from "@/components/ui/progress";
import { requestPackageAction } from "@/lib/evidence/actions";
import type { TPackageView } from "@/lib/evidence/package-view";
import { formatDateTime } from "@/lib/format";

const PHASES: Record<string, string> = {
  queued: "Waiting for a worker…",
  attachments: "Embedding the attachments",
  rendering: "Rendering the pages",
  signing: "Signing",
  storing: "Storing the signed file",
  done: "Ready",
};

const POLL_MS = 1000;

/**
 * The audit's evidence packages: issue one for the current sign-off (with or without the team's
 * internal notes), watch its job's progress, download the signed PDF and its manifest.
 */
export function PackageList({
  auditId,
  initial,
  signedOff,
  canIssue,
  renderShares,
}: {
  auditId: string;
  initial: TPackageView[];
  signedOff: boolean;
  canIssue: boolean;
  /** The share links of a ready package (a server-rendered panel), if the viewer may see them. */
  renderShares?: Record<string, React.ReactNode>;
}) {
  const [packages, setPackages] = useState(initial);
  const [includeInternalNotes, setIncludeInternalNotes] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const [tick, setTick] = useState(0);
  const router = useRouter();
  const running = packages.filter((p) => p.state === "QUEUED" || p.state === "RUNNING");
  const runningKey = running.map((p) => `${p.id}:${p.phase}:${p.progress.done}`).join(",");

  // While a job runs, ask for its state every second; stop as soon as none runs.
  useEffect(() => {
    if (runningKey === "") return;
    const ids = runningKey.split(",").map((k) => k.split(":")[0]!);
    const timer = setTimeout(async () => {
      const fresh = await Promise.all(
        ids.map(async (id) => {
          const p = packages.find((x) => x.id === id)!;
          const res = await fetch(`/api/packages/${id}`, { cache: "no-store" }).catch(() => null);
          const body = (await res?.json().catch(() => null)) as { data?: TPackageView } | null;
          // Unchanged (or unreachable): a fresh object all the same, so the next poll is scheduled.
          return { ...(body?.data ?? p) };
        }),
      );
      setPackages((all) => all.map((p) => fresh.find((f) => f.id === p.id) ?? p));
      setTick((t) => t + 1);
      // A package just became ready: the server renders its share links.
      if (fresh.some((f) => f.state === "READY")) router.refresh();
    }, POLL_MS);
    return () => clearTimeout(timer);
    // packages is read for the fallback only; runningKey and tick decide when to poll.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [runningKey, tick]);

  const issue = () =>
    startTransition(async () => {
      setError(null);
      const result = await requestPackageAction({ auditId, includeInternalNotes });
      if (!result.ok) {
        setError(result.message);
        return;
      }
      setPackages((all) => [result.data, ...all.filter((p) => p.id !== result.data.id)]);
    });

  return (
    <div className="space-y-6">
      {canIssue && (
        <div className="space-y-3 rounded-lg border border-border bg-card p-4">
          {signedOff ? (
            <>
              <p className="text-sm">
                Issue the signed evidence package of this sign-off. It is rendered and signed in the background; you can leave this page.
              </p>
              <label className="flex items-center gap-2 text-sm">
                <input type="checkbox" checked={includeInternalNotes} onChange={(e) => setIncludeInternalNotes(e.target.checked)} />
                Include the audit team&apos;s internal notes (never share this version with the provider)
              </label>
              <Button onClick={issue} disabled={pending}>
                {pending ? "Asking…" : "Issue evidence package"}
              </Button>
            </>
          ) : (
            <p className="text-sm text-muted-foreground">A package records a signed-off audit: once the reviewer signs it off, you can issue it here.</p>
          )}
          {error && <Alert tone="error">{error}</Alert>}
        </div>
      )}

      {packages.length === 0 ? (
        <p className="text-sm text-muted-foreground">No evidence package has been issued for this audit yet.</p>
      ) : (
        <ul className="space-y-4" aria-label="Evidence packages">
          {packages.map((p) => (
            <li key={p.id} className="space-y-3 rounded-lg border border-border bg-card p-4" data-package-id={p.id} data-state={p.state}>
              <div className="flex flex-wrap items-center justify-between gap-2">
                <h3 className="font-medium">
                  {p.version ? `Version ${p.version}` : "New package"}
                  {p.includeInternalNotes && (
                    <Badge className="ml-2" variant="outline">
                      with internal notes
                    </Badge>
                  )}
                </h3>
                <StateBadge state={p.state} />
              </div>
              {(p.state === "QUEUED" || p.state === "RUNNING") && (
                <div className="space-y-1" aria-live="polite">
                  <p className="text-sm">{PHASES[p.phase] ?? p.phase}</p>
                  <Progress value={p.progress.total > 0 ? (100 * p.progress.done) / p.progress.total : 0} label={`Progress: ${PHASES[p.phase] ?? p.phase}`} />
                </div>
              )}
              {p.state === "FAILED" && (
                <Alert tone="error">
                  <p>{p.error ?? "Issuing failed."}</p>
                  {canIssue && signedOff && (
                    <Button className="mt-2" size="sm" variant="outline" onClick={() => {
                      setIncludeInternalNotes(p.includeInternalNotes);
                      startTransition(async () => {
                        const result = await requestPackageAction({ auditId, includeInternalNotes: p.includeInternalNotes });
                        if (!result.ok) setError(result.message);
                        else setPackages((all) => all.map((x) => (x.id === result.data.id ? result.data : x)));
                      });
                    }} disabled={pending}>
                      Try again
                    </Button>
                  )}
                </Alert>
              )}
              {p.state === "READY" && (
                <div className="space-y-2 text-sm">
                  <p>
                    Issued {p.issuedAt ? formatDateTime(p.issuedAt) : ""} · {p.size ? `${(p.size / 1024 / 1024).toFixed(1)} MB` : ""} · signed by {p.signer?.subject ?? "?"}
                    {p.timestamped ? " · timestamped" : ""}
                  </p>
                  {p.signer?.development && (
                    <p className="text-amber-800">Signed with this installation&apos;s development certificate: it proves integrity, not who issued it.</p>
                  )}
                  <p className="break-all font-mono text-xs" title="SHA-256 of the PDF">
                    SHA-256 {p.sha256}
                  </p>
                  <div className="flex flex-wrap gap-2">
                    <Button asChild size="sm">
                      <a href={`/api/packages/${p.id}/download`}>Download the signed PDF</a>
                    </Button>
                    <Button asChild size="sm" variant="outline">
                      <a href={`/api/packages/${p.id}/manifest`}>Download the manifest (JSON)</a>
                    </Button>
                  </div>
                  {renderShares?.[p.id]}
                </div>
              )}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function StateBadge({ state }: { state: TPackageView["state"] }) {
  const label = { QUEUED: "Queued", RUNNING: "Issuing", READY: "Ready", FAILED: "Failed" }[state];
  return <Badge variant={state === "FAILED" ? "destructive" : state === "READY" ? "success" : "muted"}>{label}</Badge>;
}
