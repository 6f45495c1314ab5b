import type { Metadata } from "next";
import { VerifyForm } from "@/components/evidence/verify-form";
import { requireUserOrRedirect } from "@/lib/auth/current-user";
import { VERIFY_MAX_BYTES } from "@/lib/evidence/verify-uploaded-package";

export const metadata: Metadata = { title: "Verify a package" };

export default async function VerifyPage() {
  await requireUserOrRedirect("/verify");
  return (
    <div className="max-w-3xl space-y-6">
      <div className="space-y-1">
        <h1 className="text-2xl font-semibold tracking-tight">Verify an evidence package</h1>
        <p className="max-w-prose text-sm text-muted-foreground">
          Upload a signed evidence package (PDF) to check that it is unchanged since it was signed and that every attachment matches its manifest, and
          to learn whether this Assay issued it — which audit, which version, and whether it is the latest. The same checks run offline with{" "}
          <code>npm run evidence:verify -- &lt;file&gt;</code>.
        </p>
      </div>
      <VerifyForm maxBytes={VERIFY_MAX_BYTES} />
    </div>
  );
}
