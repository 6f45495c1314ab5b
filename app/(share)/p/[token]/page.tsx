import type { Metadata } from "next";
import { ShareExpired, ShareRevoked } from "@/components/evidence/share-link-states";
import { SharePackage } from "@/components/evidence/share-package";
import { packageFileName } from "@/lib/evidence/open-package-download";
import { loadSharePageState } from "@/lib/evidence/shares/share-page-state";
import { sanitizeFileName } from "@/lib/attachments/file-name";

export const metadata: Metadata = { title: "Evidence package", referrer: "no-referrer" };

export default async function SharedPackagePage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const page = await loadSharePageState(token);
  if (page.state === "revoked") return <ShareRevoked />;
  if (page.state === "expired") return <ShareExpired expiresAt={page.expiresAt} sharedBy={page.sharedBy} />;
  const { share } = page;
  const pkg = share.pkg;
  // Shares are made of READY packages only, and a READY package never changes (trigger).
  const version = pkg.version!;
  return (
    <SharePackage
      token={token}
      providerName={share.providerName}
      version={version}
      issuedAt={pkg.issuedAt!}
      sha256={pkg.sha256!}
      size={pkg.size!}
      signer={pkg.signer}
      signerFingerprint={share.signerFingerprint}
      timestamped={pkg.timestamped}
      sharedBy={share.sharedBy.name ?? share.sharedBy.email}
      label={share.label}
      expiresAt={share.expiresAt.toISOString()}
      pdfFileName={packageFileName(share.providerName, version)}
      manifestFileName={sanitizeFileName(`evidence-package-${share.providerName}-v${version}.manifest.json`).name}
    />
  );
}
