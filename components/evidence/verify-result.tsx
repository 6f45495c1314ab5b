import Link from "next/link";
import { formatBytes } from "@/lib/attachments/file-types";
import type { TPackageMatch, TUploadedPackageVerification } from "@/lib/evidence/verify-uploaded-package";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";

/** The verdict on an uploaded package: valid or not, what it is to this Assay, each check, the signer, the attachments. */
export function VerifyResult({ result }: { result: TUploadedPackageVerification }) {
  const r = result;
  return (
    <section aria-labelledby="verify-verdict" className="space-y-6" data-testid="verify-result" data-valid={r.valid}>
      <div className={cn("space-y-2 rounded-lg border-2 p-5", r.valid ? "border-green-600 bg-green-50 text-green-950" : "border-red-600 bg-red-50 text-red-950")}>
        <h2 id="verify-verdict" className="flex items-center gap-3 text-2xl font-semibold">
          <span aria-hidden className={cn("flex size-9 items-center justify-center rounded-full text-xl text-white", r.valid ? "bg-green-600" : "bg-red-600")}>
            {r.valid ? "✓" : "✗"}
          </span>
          {r.valid ? "Valid" : "Not valid"}
        </h2>
        <p>
          {r.valid
            ? `${r.fileName || "The file"} is unchanged since it was signed${r.attachments.length > 0 ? ", and every attachment matches its manifest" : ""}.`
            : `${r.fileName || "The file"} cannot be relied on: ${r.problems.length} problem${r.problems.length === 1 ? "" : "s"} (see the checks below).`}
        </p>
        {r.valid && r.signer?.development && (
          <p className="font-medium">
            Signed with a self-signed development certificate: it proves the file is unchanged, not who issued it.
          </p>
        )}
        {r.valid && !r.signer?.development && r.signer?.selfSigned && (
          <p className="font-medium">Signed with a self-signed certificate: check its fingerprint with the issuer before relying on who signed it.</p>
        )}
      </div>

      <MatchBox match={r.match} />

      <div className="space-y-2">
        <h3 className="font-semibold">Checks</h3>
        <ul className="space-y-1.5 text-sm" aria-label="Checks">
          {r.checks.map((c, i) => (
            <li key={`${c.name}-${i}`} className="flex gap-2" data-ok={c.ok}>
              <span aria-hidden className={cn("w-4 shrink-0 font-bold", c.ok ? "text-green-700" : "text-red-700")}>
                {c.ok ? "✓" : "✗"}
              </span>
              <span>
                <span className="font-medium">{c.name}</span>
                <span className="sr-only">{c.ok ? " (passed)" : " (failed)"}</span>: {c.detail}
              </span>
            </li>
          ))}
        </ul>
        {r.notes.length > 0 && (
          <ul className="space-y-1 text-sm text-amber-900" aria-label="Notes">
            {r.notes.map((n) => (
              <li key={n} className="flex gap-2">
                <span aria-hidden className="w-4 shrink-0 font-bold">
                  !
                </span>
                {n}
              </li>
            ))}
          </ul>
        )}
      </div>

      <div className="grid gap-6 md:grid-cols-2">
        <div className="space-y-2">
          <h3 className="font-semibold">Signature</h3>
          <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Signer</dt>
            <dd className="break-words">{r.signer?.subject ?? "unknown"}</dd>
            {r.signer && (
              <>
                <dt className="text-muted-foreground">Issuer</dt>
                <dd className="break-words">{r.signer.selfSigned ? "(self-signed)" : r.signer.issuer}</dd>
                <dt className="text-muted-foreground">Fingerprint</dt>
                <dd className="break-all font-mono text-xs">SHA-256 {r.signer.fingerprintSha256}</dd>
                <dt className="text-muted-foreground">Valid</dt>
                <dd>
                  {formatDateTime(r.signer.notBefore)} to {formatDateTime(r.signer.notAfter)}
                </dd>
              </>
            )}
            <dt className="text-muted-foreground">Signed at</dt>
            <dd>{r.signedAt ? `${formatDateTime(r.signedAt)} (the signer's own clock)` : "not stated"}</dd>
            <dt className="text-muted-foreground">Timestamp</dt>
            <dd>{r.timestamp ? `${formatDateTime(r.timestamp.time)} by ${r.timestamp.tsa}` : "none"}</dd>
          </dl>
        </div>
        <div className="space-y-2">
          <h3 className="font-semibold">File</h3>
          <dl className="grid grid-cols-[7rem_1fr] gap-x-3 gap-y-1 text-sm">
            <dt className="text-muted-foreground">Name</dt>
            <dd className="break-all">{r.fileName || "—"}</dd>
            <dt className="text-muted-foreground">Size</dt>
            <dd>{r.size < 1024 ? formatBytes(r.size) : `${formatBytes(r.size)} (${r.size.toLocaleString("en")} bytes)`}</dd>
            <dt className="text-muted-foreground">SHA-256</dt>
            <dd className="break-all font-mono text-xs" data-testid="verify-sha256">
              {r.sha256}
            </dd>
          </dl>
        </div>
      </div>

      {r.attachments.length > 0 && (
        <div className="space-y-2">
          <h3 className="font-semibold">Attachments</h3>
          <ul className="space-y-1 text-sm" aria-label="Attachments">
            {r.attachments.map((a) => (
              <li key={a.name} className="flex gap-2">
                <span aria-hidden className={cn("w-4 shrink-0 font-bold", a.matchesManifest ? "text-green-700" : "text-red-700")}>
                  {a.matchesManifest ? "✓" : "✗"}
                </span>
                <span className="min-w-0">
                  <span className="break-all">{a.name}</span>
                  <span className="sr-only">{a.matchesManifest ? " (matches the manifest)" : " (does not match the manifest)"}</span>
                  <span className="block break-all font-mono text-xs text-muted-foreground">
                    {a.size === null ? "?" : formatBytes(a.size)} · SHA-256 {a.sha256 ?? "?"}
                  </span>
                </span>
              </li>
            ))}
          </ul>
        </div>
      )}
    </section>
  );
}

function MatchBox({ match }: { match: TPackageMatch }) {
  const box = "rounded-lg border border-border bg-card p-4 text-sm";
  switch (match.kind) {
    case "issued":
      return (
        <div className={cn(box, "space-y-2")} data-testid="verify-match" data-match="issued">
          <p className="text-base">
            This is <strong>version {match.version}</strong> of the evidence package of <strong>{match.providerName}</strong> (audit: {match.auditTitle}),
            issued {formatDateTime(match.issuedAt)} —{" "}
            {match.latest ? <strong>the latest version</strong> : <strong>a newer version ({match.newerVersion}) exists</strong>}.
          </p>
          {match.latest && match.auditChangedSince && (
            <p className="text-muted-foreground">The audit was reopened or signed off again since; a newer package may follow.</p>
          )}
          {match.includesInternalNotes && <p className="text-amber-900">This version includes the audit team&apos;s internal notes.</p>}
          <Link className="text-primary underline" href={`/audits/${match.auditId}/packages`}>
            The audit&apos;s evidence packages
          </Link>
        </div>
      );
    case "issued_no_access":
      return (
        <div className={box} data-testid="verify-match" data-match="issued_no_access">
          <p>This exact file was issued by this Assay. You are not on its audit, so nothing more about it is shown here.</p>
        </div>
      );
    case "not_issued_as_is":
      return (
        <div className={cn(box, "border-amber-300 bg-amber-50 text-amber-950")} data-testid="verify-match" data-match="not_issued_as_is">
          <p>
            It names an Assay audit, but it is <strong>not a package this Assay issued as it is</strong>: it was changed after it was issued, or another
            installation of Assay issued it.
          </p>
        </div>
      );
    case "unknown":
      return (
        <div className={box} data-testid="verify-match" data-match="unknown">
          <p>This Assay did not issue this file, and nothing in it names an Assay audit.</p>
        </div>
      );
  }
}
