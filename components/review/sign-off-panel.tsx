"use client";

import { AlertDialog } from "radix-ui";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import { VerdictBadge } from "@/components/review/rating-badge";
import { Alert } from "@/components/ui/alert";
import { Button, buttonVariants } from "@/components/ui/button";
import { signOffAuditAction } from "@/lib/review/actions";
import type { TReview } from "@/lib/review/get-review";
import type { TVerdictView } from "@/lib/review/types";

interface Props {
  auditId: string;
  verdict: TVerdictView | null;
  counts: TReview["counts"];
  openClarifications: number;
  evidenceGaps: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Signing off, behind a confirmation that says what it does and what is still open. Nothing
 * but a missing verdict blocks it: unrated answers, unanswered questions, open clarifications
 * and missing evidence are the reviewer's to weigh (and to put in the verdict's conditions).
 */
export function SignOffPanel({ auditId, verdict, counts, openClarifications, evidenceGaps }: Props) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const caveats = [
    counts.unratedAnswered > 0 && `${plural(counts.unratedAnswered, "answered question")} ${counts.unratedAnswered === 1 ? "is" : "are"} not rated`,
    counts.unansweredRequired > 0 && `${plural(counts.unansweredRequired, "required question")} ${counts.unansweredRequired === 1 ? "is" : "are"} unanswered`,
    counts.NEEDS_CLARIFICATION > 0 && `${plural(counts.NEEDS_CLARIFICATION, "answer")} ${counts.NEEDS_CLARIFICATION === 1 ? "needs" : "need"} clarification`,
    openClarifications > 0 && `${plural(openClarifications, "clarification")} ${openClarifications === 1 ? "is" : "are"} still open`,
    evidenceGaps > 0 && `${plural(evidenceGaps, "evidence item")} ${evidenceGaps === 1 ? "is" : "are"} missing or expired`,
  ].filter((c): c is string => typeof c === "string");

  const signOff = () => {
    if (!verdict) return;
    setError(null);
    startTransition(async () => {
      const result = await signOffAuditAction({ auditId, verdictRevision: verdict.revision });
      if (result.ok) {
        setOpen(false);
        router.refresh();
        // This panel goes away with the refresh; the banner at the top says what happened.
        window.scrollTo({ top: 0 });
        return;
      }
      setError(result.message);
      if (result.code === "CONFLICT") router.refresh();
    });
  };

  return (
    <div className="space-y-3">
      <p className="text-sm text-muted-foreground">
        Signing off makes the answers, files, ratings and verdict read-only. Only an administrator can reopen the audit; an evidence package issued for
        this sign-off stays as it is.
      </p>
      {error && !open && <Alert tone="error">{error}</Alert>}
      {!verdict && <p className="text-sm font-medium">Record the verdict first; then you can sign off.</p>}
      <AlertDialog.Root
        open={open}
        onOpenChange={(next) => {
          setOpen(next);
          if (next) setError(null);
        }}
      >
        <AlertDialog.Trigger asChild>
          <Button disabled={!verdict}>Sign off the audit</Button>
        </AlertDialog.Trigger>
        <AlertDialog.Portal>
          <AlertDialog.Overlay className="fixed inset-0 z-40 bg-slate-950/40" />
          <AlertDialog.Content className="fixed left-1/2 top-1/2 z-50 max-h-[90vh] w-[calc(100vw-2rem)] max-w-lg -translate-x-1/2 -translate-y-1/2 space-y-4 overflow-y-auto rounded-lg border border-border bg-background p-5 shadow-lg">
            <AlertDialog.Title className="text-lg font-semibold">Sign off this audit?</AlertDialog.Title>
            <AlertDialog.Description asChild>
              <div className="space-y-3 text-sm">
                <p>
                  Verdict: <VerdictBadge verdict={verdict?.verdict ?? null} />
                </p>
                <p>Answers, files, ratings and the verdict become read-only for everyone. Only an administrator can reopen the audit.</p>
                {caveats.length > 0 ? (
                  <div className="rounded-md border border-amber-300 bg-amber-50 p-3 text-amber-950">
                    <p className="font-medium">Still open — signing off does not wait for these:</p>
                    <ul className="ml-5 mt-1 list-disc space-y-0.5" data-testid="sign-off-caveats">
                      {caveats.map((c) => (
                        <li key={c}>{c}</li>
                      ))}
                    </ul>
                  </div>
                ) : (
                  <p>Every answer shown is rated, and nothing else is open.</p>
                )}
              </div>
            </AlertDialog.Description>
            {error && <Alert tone="error">{error}</Alert>}
            <div className="flex flex-wrap justify-end gap-2">
              <AlertDialog.Cancel className={buttonVariants({ variant: "secondary" })} disabled={pending}>
                Cancel
              </AlertDialog.Cancel>
              {/* Not AlertDialog.Action: it would close the dialog before the outcome is known. */}
              <Button onClick={signOff} disabled={pending}>
                {pending ? "Signing off…" : "Sign off"}
              </Button>
            </div>
          </AlertDialog.Content>
        </AlertDialog.Portal>
      </AlertDialog.Root>
    </div>
  );
}
