import type { Metadata } from "next";
import { PackageList } from "@/components/evidence/package-list";
import { SharePanel } from "@/components/evidence/share-panel";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { loadAuditPage } from "@/lib/audits/load-audit-page";
import { listAuditPackages } from "@/lib/evidence/list-audit-packages";
import { listPackageShares } from "@/lib/evidence/shares/list-package-shares";

export const metadata: Metadata = { title: "Evidence packages" };

export default async function PackagesPage({ params }: { params: Promise<{ auditId: string }> }) {
  const { auditId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}/packages`);
  const { audit } = await loadAuditPage(user, auditId);
  const [{ packages, signedOff, canIssue }, shares] = await Promise.all([listAuditPackages({ user, auditId: audit.id }), listPackageShares({ user, auditId: audit.id })]);
  // Share links of each issued package: made and revoked by those who may issue, seen by all members.
  const renderShares = Object.fromEntries(
    packages
      .filter((p) => p.state === "READY")
      .map((p) => [p.id, <SharePanel key={p.id} packageId={p.id} shares={shares[p.id] ?? []} canShare={canIssue} includesInternalNotes={p.includeInternalNotes} />]),
  );
  return (
    <div className="space-y-6">
      <div className="space-y-1">
        <Breadcrumbs items={[{ href: "/audits", label: "Audits" }, { href: `/audits/${audit.id}`, label: audit.providerName }, { label: "Evidence packages" }]} />
        <h1 className="text-2xl font-semibold tracking-tight">Evidence packages</h1>
        <p className="max-w-prose text-sm text-muted-foreground">
          A signed PDF of the signed-off audit: every question and answer, the ratings and verdict, the clarifications, the evidence checklist and the
          attachments themselves, with a machine-readable manifest. Anyone can check its signature without Assay (pdfsig, or npm run evidence:verify).
        </p>
      </div>
      <PackageList auditId={audit.id} initial={packages} signedOff={signedOff} canIssue={canIssue} renderShares={renderShares} />
    </div>
  );
}
