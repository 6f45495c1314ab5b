import { Lock } from "lucide-react";
import { Alert } from "@/components/ui/alert";
import { formatDateTime } from "@/lib/format";

/**
 * Says that the audit is signed off and read-only. Members read who signed off and when;
 * providers (`forProvider`) only that the review is finished — never by whom, never the verdict.
 */
export function SignedOffBanner({ signedOffAt, signedOffBy, forProvider = false }: { signedOffAt?: Date | string | null; signedOffBy?: string | null; forProvider?: boolean }) {
  return (
    <Alert tone="success" data-testid="signed-off-banner" className="flex items-start gap-2">
      <Lock aria-hidden className="mt-0.5 size-4 shrink-0" />
      {forProvider ? (
        <span>
          <strong>The auditor has completed this review.</strong> Your answers, files and replies are read-only now.
        </span>
      ) : (
        <span>
          <strong>Signed off</strong>
          {signedOffBy ? ` by ${signedOffBy}` : ""}
          {signedOffAt ? ` on ${formatDateTime(signedOffAt)}` : ""}. Answers, files, ratings, the verdict and clarifications are read-only; only an administrator can
          reopen the audit.
        </span>
      )}
    </Alert>
  );
}
