import { Button } from "@/components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/components/ui/card";
import { formatBytes } from "@/lib/attachments/file-types";
import { formatDateTime } from "@/lib/format";
import { ShareCopyButton } from "./share-copy-button";

export interface SharePackageProps {
  /** The link's token: the download URLs are under /api/p/<token>. */
  token: string;
  providerName: string;
  version: number;
  issuedAt: string;
  sha256: string;
  size: number;
  signer: { subject: string; selfSigned: boolean; development: boolean } | null;
  signerFingerprint: string | null;
  timestamped: boolean;
  /** Who shared it, and for whom (the sharer's words). */
  sharedBy: string | null;
  label: string;
  expiresAt: string;
  /** The names the files are saved under (Content-Disposition), for the commands. */
  pdfFileName: string;
  manifestFileName: string;
}

/** POSIX shells: everything literal inside single quotes; a quote itself ends, escapes, reopens. */
const sh = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
/** PowerShell: single quotes are literal; a quote is doubled. */
const ps = (s: string) => `'${s.replace(/'/g, "''")}'`;

/**
 * The page an external auditor sees through a share link: which package this is, the file's
 * SHA-256 and size, who signed it, the two downloads, and how to check the file without
 * trusting this page (sha256sum, pdfsig, Assay's own verifier, the manifest's hashes).
 */
export function SharePackage(p: SharePackageProps) {
  const base = `/api/p/${p.token}`;
  return (
    <div className="space-y-6">
      <div className="space-y-2">
        <h1 className="text-2xl font-semibold tracking-tight">Evidence package: {p.providerName}</h1>
        <p className="text-muted-foreground">
          The signed record of a security due-diligence audit of {p.providerName}: every question and answer, the reviewer&apos;s ratings and verdict,
          the clarifications, and the evidence files themselves.
          {p.sharedBy ? ` ${p.sharedBy} shared it with you (${p.label}).` : ` It was shared with you (${p.label}).`} This link works until{" "}
          <time dateTime={p.expiresAt}>{formatDateTime(p.expiresAt)}</time>.
        </p>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Version {p.version}</CardTitle>
          <CardDescription>
            Issued <time dateTime={p.issuedAt}>{formatDateTime(p.issuedAt)}</time>
          </CardDescription>
        </CardHeader>
        <CardContent className="space-y-4">
          <dl className="grid gap-x-4 gap-y-2 text-sm sm:grid-cols-[10rem_1fr]">
            <dt className="text-muted-foreground">Provider</dt>
            <dd>{p.providerName}</dd>
            <dt className="text-muted-foreground">Signed by</dt>
            <dd className="space-y-1">
              <p className="break-words">{p.signer?.subject ?? "—"}</p>
              {p.signer?.development ? (
                <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-950" data-testid="development-certificate">
                  <strong>Development certificate.</strong> This package was signed with the self-signed certificate of a demo installation of Assay. The
                  signature shows that the file has not changed since it was signed — not who issued it. Do not rely on it as proof of origin.
                </p>
              ) : p.signer?.selfSigned ? (
                <p className="text-amber-900">
                  Self-signed certificate: compare its fingerprint with the one the issuing organisation publishes before relying on who signed it.
                </p>
              ) : null}
              {p.signerFingerprint && (
                <p className="break-all font-mono text-xs text-muted-foreground" title="SHA-256 fingerprint of the signing certificate">
                  Certificate SHA-256 {p.signerFingerprint}
                </p>
              )}
            </dd>
            <dt className="text-muted-foreground">Timestamp</dt>
            <dd>{p.timestamped ? "Timestamped by a time-stamping authority" : "None: the signing time is the signer's own clock"}</dd>
            <dt className="text-muted-foreground">SHA-256</dt>
            <dd className="flex flex-wrap items-center gap-2">
              <code className="break-all font-mono text-xs" data-testid="package-sha256">
                {p.sha256}
              </code>
              <ShareCopyButton text={p.sha256} label="Copy the SHA-256" />
            </dd>
            <dt className="text-muted-foreground">Size</dt>
            <dd>{p.size < 1024 ? formatBytes(p.size) : `${formatBytes(p.size)} (${p.size.toLocaleString("en")} bytes)`}</dd>
          </dl>
          <div className="flex flex-wrap gap-2">
            <Button asChild>
              <a href={`${base}/download`}>Download the signed PDF</a>
            </Button>
            <Button asChild variant="outline">
              <a href={`${base}/manifest`}>Download the manifest (JSON)</a>
            </Button>
          </div>
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>How to verify</CardTitle>
          <CardDescription>You need not trust this page: check the file itself, on your own machine.</CardDescription>
        </CardHeader>
        <CardContent>
          <ol className="list-decimal space-y-4 pl-5 text-sm">
            <li className="space-y-1.5">
              <p>
                <strong>It is the file that was issued.</strong> Compute its SHA-256 and compare it with the one above:
              </p>
              <Commands
                lines={[
                  ["Linux", `sha256sum ${sh(p.pdfFileName)}`],
                  ["macOS", `shasum -a 256 ${sh(p.pdfFileName)}`],
                  ["Windows", `Get-FileHash ${ps(p.pdfFileName)} -Algorithm SHA256`],
                ]}
              />
              <p className="text-muted-foreground">It must print exactly the SHA-256 above, {p.sha256.slice(0, 12)}…, all 64 characters of it.</p>
            </li>
            <li className="space-y-1.5">
              <p>
                <strong>It is unchanged since it was signed.</strong> With poppler&apos;s <code>pdfsig</code> (package poppler-utils):
              </p>
              <Commands lines={[["", `pdfsig ${sh(p.pdfFileName)}`]]} />
              <p className="text-muted-foreground">
                It must say <q>Signature is Valid.</q> and <q>Total document signed</q>. (It may add that the certificate is not trusted: that is about
                who signed, see the certificate above.)
              </p>
            </li>
            <li className="space-y-1.5">
              <p>
                <strong>Everything at once, with Assay&apos;s verifier</strong> (from Assay&apos;s source code, no installation or database needed):
              </p>
              <Commands lines={[["", `npm run evidence:verify -- ${sh(p.pdfFileName)}`]]} />
              <p className="text-muted-foreground">It prints VALID, each check with ✓, the signer, and every attachment checked against the manifest.</p>
            </li>
            <li className="space-y-1.5">
              <p>
                <strong>The evidence files.</strong> The PDF embeds every evidence file and a <code>manifest.json</code> that lists each one with its
                SHA-256. The manifest offered here ({p.manifestFileName}) is byte for byte the embedded one. Extract the files and compare each file&apos;s
                SHA-256 with its <code>attachments[].sha256</code> in the manifest:
              </p>
              <Commands lines={[["", `pdfdetach -saveall ${sh(p.pdfFileName)}`]]} />
            </li>
          </ol>
        </CardContent>
      </Card>
      <p className="text-xs text-muted-foreground">Each download through this link is recorded in the audit&apos;s trail.</p>
    </div>
  );
}

function Commands({ lines }: { lines: [string, string][] }) {
  return (
    <div className="space-y-1">
      {lines.map(([os, command]) => (
        <div key={command} className="flex flex-wrap items-center gap-2">
          {os && <span className="w-16 text-xs text-muted-foreground">{os}</span>}
          <code className="min-w-0 flex-1 overflow-x-auto whitespace-pre rounded-md bg-muted px-2 py-1 font-mono text-xs">{command}</code>
        </div>
      ))}
    </div>
  );
}
