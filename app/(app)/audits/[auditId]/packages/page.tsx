import type { Metadata } from "next";
import { PackageList } from "@/components/evidence/package-list";
import { Breadcrumbs } from "@/components/layout/breadcrumbs";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { loadAuditPage } from "@/lib/audits/load-audit-page";
import { listAuditPackages } from "@/lib/evidence/list-audit-packages";

export const metadata: Metadata = { title: "Evidence packages" };

export default async function PackagesPage({ params }: { params: Promise<{ auditId: string }> }) {
  const { auditId } = await params;
  const user = await requireUserOrRedirect(`/audits/${auditId}/packages`);
  const { audit } = await loadAuditPage(user, auditId);
  const { packages, signedOff, canIssue } = await listAuditPackages({ user, auditId: audit.id });
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
      <PackageList auditId={audit.id} initial={packages} signedOff={signedOff} canIssue={canIssue} />
    </div>
  );
}
