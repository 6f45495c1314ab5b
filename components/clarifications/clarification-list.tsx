"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Lock } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState, useTransition } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { InlineText } from "@/components/questionnaire/inline-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { postClarificationMessageAction, setClarificationStatusAction } from "@/lib/clarifications/actions";
import type { TClarificationView } from "@/lib/clarifications/list-clarifications";
import { CLARIFICATION_LIMITS, ZPostClarificationMessageInput, type TPostClarificationMessageInput } from "@/lib/clarifications/schemas";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ClarificationStatusBadge, DueDate } from "./clarification-badges";

interface Props {
  /** From listClarifications: already in order (open first, overdue first). */
  clarifications: TClarificationView[];
  /** Officers (edit access) write to the provider, resolve and reopen; everyone else adds internal notes. */
  canEdit: boolean;
  /** Signed off: the threads are part of the record, read-only until an admin reopens the audit. */
  signedOff: boolean;
  /** The audit's pages: `${basePath}/sections/<id>` is a section (as for SectionNav). */
  basePath: string;
}

/** The audit's clarification threads for its members: open first, with replies and internal notes. */
export function ClarificationList({ clarifications, canEdit, signedOff, basePath }: Props) {
  if (clarifications.length === 0) {
    return <p className="text-sm text-muted-foreground">{signedOff ? "No clarifications were asked." : "No clarifications yet. Ask one from any question in the interview."}</p>;
  }
  const count = (s: string) => clarifications.filter((c) => c.status === s).length;
  const overdue = clarifications.filter((c) => c.overdue).length;
  return (
    <div className="space-y-4">
      <p className="text-sm text-muted-foreground">
        {count("OPEN")} open{overdue > 0 && <span className="font-medium text-destructive"> ({overdue} overdue)</span>} · {count("ANSWERED")} answered ·{" "}
        {count("RESOLVED")} resolved
      </p>
      <ul className="space-y-4">
        {clarifications.map((c) => (
          <li key={c.id}>
            <Thread thread={c} canEdit={canEdit} signedOff={signedOff} basePath={basePath} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Thread({ thread, canEdit, signedOff, basePath }: { thread: TClarificationView; canEdit: boolean; signedOff: boolean; basePath: string }) {
  const uid = useId();
  const resolved = thread.status === "RESOLVED";
  const messages = <Messages messages={thread.messages} />;
  return (
    <article
      aria-labelledby={`${uid}-title`}
      data-clarification-id={thread.id}
      className={cn("rounded-lg border bg-card p-4", thread.overdue ? "border-destructive/60" : "border-border", resolved && "bg-muted/30")}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-0.5">
          <h3 id={`${uid}-title`} className="text-sm font-medium leading-snug">
            <Link href={`${basePath}/sections/${thread.sectionId}#question-${thread.questionId}`} className="hover:underline">
              <InlineText text={thread.questionText} />
            </Link>
          </h3>
          <p className="text-xs text-muted-foreground">
            {thread.sectionTitle} · asked by {thread.createdBy} on {formatDateTime(thread.createdAt)}
          </p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-1">
          <ClarificationStatusBadge status={thread.status} audience="member" />
          <DueDate dueOn={thread.dueOn} overdue={thread.overdue} />
        </div>
      </div>

      {resolved ? (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-primary">
            Show the {thread.messages.length} message{thread.messages.length === 1 ? "" : "s"}
          </summary>
          {messages}
        </details>
      ) : (
        messages
      )}

      {signedOff ? (
        <p className="mt-3 text-sm text-muted-foreground">Signed off: this thread is read-only until an administrator reopens the audit.</p>
      ) : (
        <ReplyForm clarificationId={thread.id} status={thread.status} canEdit={canEdit} />
      )}
    </article>
  );
}

function Messages({ messages }: { messages: TClarificationView["messages"] }) {
  return (
    <ol className="mt-3 space-y-2">
      {messages.map((m) => (
        <li
          key={m.id}
          className={cn(
            "rounded-md border px-3 py-2 text-sm",
            // Internal notes must never be mistaken for what the provider reads.
            m.internal ? "border-dashed border-amber-400 bg-amber-50" : m.author.kind === "provider" ? "border-blue-200 bg-blue-50" : "border-border bg-background",
          )}
        >
          <p className="mb-1 flex flex-wrap items-center gap-x-2 text-xs text-muted-foreground">
            {m.internal && (
              <span className="inline-flex items-center gap-1 font-semibold text-amber-900">
                <Lock aria-hidden className="size-3.5" />
                Internal note, not shown to the provider
              </span>
            )}
            <span className="font-medium text-foreground">
              {m.author.name}
              {m.author.kind === "provider" && " (provider)"}
            </span>
            <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
          </p>
          <p className="whitespace-pre-wrap break-words">{m.body}</p>
        </li>
      ))}
    </ol>
  );
}

function ReplyForm({ clarificationId, status, canEdit }: { clarificationId: string; status: TClarificationView["status"]; canEdit: boolean }) {
  const router = useRouter();
  const uid = useId();
  const ids = { body: `${uid}-body`, bodyError: `${uid}-body-error`, internal: `${uid}-internal`, internalHint: `${uid}-internal-hint` };
  const resolved = status === "RESOLVED";
  // Reviewers write internal notes only; a resolved thread takes internal notes until reopened.
  const mayWriteToProvider = canEdit && !resolved;
  const [banner, setBanner] = useState<string | null>(null);
  const [pending, startTransition] = useTransition();
  const { register, handleSubmit, setError, reset, watch, formState } = useForm<TPostClarificationMessageInput, unknown, z.output<typeof ZPostClarificationMessageInput>>({
    resolver: zodResolver(ZPostClarificationMessageInput),
    defaultValues: { clarificationId, body: "", internal: !mayWriteToProvider },
  });
  const internal = mayWriteToProvider ? watch("internal") : true;
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setBanner(null);
    const result = await postClarificationMessageAction({ clarificationId, body: values.body, internal: mayWriteToProvider ? values.internal : true });
    if (result.ok) {
      reset({ clarificationId, body: "", internal: !mayWriteToProvider });
      router.refresh();
      return;
    }
    if (result.fieldErrors?.body) setError("body", { message: result.fieldErrors.body });
    else setBanner(result.message);
  });

  const setStatus = (next: "OPEN" | "RESOLVED") =>
    startTransition(async () => {
      setBanner(null);
      const result = await setClarificationStatusAction({ clarificationId, status: next });
      if (result.ok) router.refresh();
      else setBanner(result.message);
    });

  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label={internal ? "Add an internal note" : "Reply to the provider"}
      className={cn("mt-3 space-y-2 rounded-md border p-3", internal ? "border-dashed border-amber-400 bg-amber-50/60" : "border-border bg-muted/30")}
    >
      {banner && <Alert tone="error">{banner}</Alert>}
      <Label htmlFor={ids.body} className="flex items-center gap-1">
        {internal && <Lock aria-hidden className="size-3.5 text-amber-900" />}
        {internal ? "Internal note (officers and reviewers only)" : "Message to the provider"}
      </Label>
      <Textarea
        id={ids.body}
        rows={2}
        maxLength={CLARIFICATION_LIMITS.body}
        aria-invalid={!!errors.body}
        aria-describedby={`${ids.internalHint} ${ids.bodyError}`}
        {...register("body")}
      />
      <FieldError id={ids.bodyError} message={errors.body?.message} />
      <div className="flex flex-wrap items-center justify-between gap-2">
        {mayWriteToProvider ? (
          <div className="flex items-center gap-2">
            <input id={ids.internal} type="checkbox" className="size-4 accent-amber-600" aria-describedby={ids.internalHint} {...register("internal")} />
            <Label htmlFor={ids.internal} className="font-normal">
              Internal note
            </Label>
            <span id={ids.internalHint} className="sr-only">
              {internal ? "Only officers and reviewers will see this." : "The provider will see this message."}
            </span>
          </div>
        ) : (
          <p id={ids.internalHint} className="text-xs text-muted-foreground">
            {canEdit ? "Resolved: reopen it to write to the provider." : "Reviewers add internal notes; the provider does not see them."}
          </p>
        )}
        <div className="flex flex-wrap gap-2">
          {canEdit &&
            (resolved ? (
              <Button variant="outline" size="sm" disabled={pending} onClick={() => setStatus("OPEN")}>
                Reopen
              </Button>
            ) : (
              <Button variant="outline" size="sm" disabled={pending} onClick={() => setStatus("RESOLVED")}>
                Mark resolved
              </Button>
            ))}
          <Button type="submit" size="sm" variant={internal ? "secondary" : "default"} disabled={formState.isSubmitting}>
            {formState.isSubmitting ? "Saving…" : internal ? "Add internal note" : "Send to the provider"}
          </Button>
        </div>
      </div>
    </form>
  );
}
