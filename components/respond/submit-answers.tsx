"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { InlineText } from "@/components/questionnaire/inline-text";
import { submitAnswersAction } from "@/lib/invites/respondent-actions";

interface Missing {
  questionId: string;
  sectionId: string;
  text: string;
}

/** Submit, or the list of what is still missing, each linked to its question. */
export function SubmitAnswers({ token, missing }: { token: string; missing: Missing[] }) {
  const router = useRouter();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [serverMissing, setServerMissing] = useState<Missing[] | null>(null);
  const list = serverMissing ?? missing;

  return (
    <div className="space-y-3">
      {list.length > 0 ? (
        <div className="space-y-2">
          <p className="text-sm">
            <strong>{list.length}</strong> required question{list.length === 1 ? "" : "s"} still need{list.length === 1 ? "s" : ""} an answer before you can submit:
          </p>
          <ul className="max-h-72 list-disc space-y-1 overflow-y-auto pl-5 text-sm">
            {list.map((m) => (
              <li key={m.questionId}>
                <Link className="text-primary underline-offset-4 hover:underline" href={`/r/${token}/sections/${m.sectionId}#question-${m.questionId}`}>
                  <InlineText text={m.text} />
                </Link>
              </li>
            ))}
          </ul>
        </div>
      ) : (
        <p className="text-sm">Every required question has an answer. When you submit, your answers become read-only until the auditor reopens them.</p>
      )}
      {error && <Alert tone="error">{error}</Alert>}
      <Button
        disabled={pending || list.length > 0}
        onClick={async () => {
          setPending(true);
          setError(null);
          const result = await submitAnswersAction(token);
          setPending(false);
          if (result.ok) {
            router.refresh();
            return;
          }
          const details = result.details as { missing?: Missing[] } | undefined;
          if (details?.missing) setServerMissing(details.missing);
          setError(result.message);
        }}
      >
        {pending ? "Submitting…" : "Submit answers"}
      </Button>
    </div>
  );
}
