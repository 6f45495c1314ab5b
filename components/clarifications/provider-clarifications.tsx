"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { InlineText } from "@/components/questionnaire/inline-text";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { replyToClarificationAction } from "@/lib/clarifications/actions";
import type { TProviderClarificationView } from "@/lib/clarifications/list-provider-clarifications";
import { CLARIFICATION_LIMITS, ZPostClarificationMessageInput, type TPostClarificationMessageInput } from "@/lib/clarifications/schemas";
import { formatDateTime } from "@/lib/format";
import { cn } from "@/lib/utils";
import { ClarificationStatusBadge, DueDate } from "./clarification-badges";

interface Props {
  /** The invite link's token: the reply action resolves the invite from it on the server. */
  token: string;
  /** From listProviderClarifications: already in order (open first, overdue first). */
  clarifications: TProviderClarificationView[];
  /** False once the audit is signed off: threads are shown, replies are not possible. */
  canReply: boolean;
  /** The provider's pages: `${basePath}/sections/<id>` is a section. Without it, no links. */
  basePath?: string;
}

/** The auditor's clarification requests as the provider sees them, with a reply form on each. */
export function ProviderClarifications({ token, clarifications, canReply, basePath }: Props) {
  if (clarifications.length === 0) {
    return <p className="text-sm text-muted-foreground">The auditor has not asked for any clarifications.</p>;
  }
  const waiting = clarifications.filter((c) => c.status === "OPEN").length;
  return (
    <div className="space-y-4">
      <p className="text-sm">
        {!canReply
          ? "The auditor has completed this review."
          : waiting === 0
            ? "Nothing is waiting for your reply."
            : `${waiting} request${waiting === 1 ? " is" : "s are"} waiting for your reply.`}
      </p>
      <ul className="space-y-4">
        {clarifications.map((c) => (
          <li key={c.id}>
            <Request token={token} thread={c} canReply={canReply} basePath={basePath} />
          </li>
        ))}
      </ul>
    </div>
  );
}

function Request({ token, thread, canReply, basePath }: { token: string; thread: TProviderClarificationView; canReply: boolean; basePath?: string }) {
  const uid = useId();
  const title = <InlineText text={thread.questionText} />;
  return (
    <article
      aria-labelledby={`${uid}-title`}
      className={cn("rounded-lg border bg-card p-4", thread.overdue ? "border-destructive/60" : "border-border", thread.status === "RESOLVED" && "bg-muted/30")}
    >
      <div className="flex flex-wrap items-start justify-between gap-2">
        <div className="min-w-0 space-y-0.5">
          <h3 id={`${uid}-title`} className="text-sm font-medium leading-snug">
            {basePath ? (
              <Link href={`${basePath}/sections/${thread.sectionId}#question-${thread.questionId}`} className="hover:underline">
                {title}
              </Link>
            ) : (
              title
            )}
          </h3>
          <p className="text-xs text-muted-foreground">{thread.sectionTitle}</p>
        </div>
        <div className="flex shrink-0 flex-wrap items-center gap-1">
          <ClarificationStatusBadge status={thread.status} audience="provider" />
          <DueDate dueOn={thread.dueOn} overdue={thread.overdue} />
        </div>
      </div>
      <ol className="mt-3 space-y-2">
        {thread.messages.map((m) => (
          <li key={m.id} className={cn("rounded-md border px-3 py-2 text-sm", m.author.kind === "auditor" ? "border-border bg-background" : "border-blue-200 bg-blue-50")}>
            <p className="mb-1 flex flex-wrap gap-x-2 text-xs text-muted-foreground">
              <span className="font-medium text-foreground">
                {m.author.name}
                {m.author.kind === "auditor" && " (auditor)"}
              </span>
              <time dateTime={m.createdAt}>{formatDateTime(m.createdAt)}</time>
            </p>
            <p className="whitespace-pre-wrap break-words">{m.body}</p>
          </li>
        ))}
      </ol>
      {thread.status === "RESOLVED" ? (
        <p className="mt-3 text-sm text-muted-foreground">The auditor has closed this request.</p>
      ) : canReply ? (
        <ReplyForm token={token} clarificationId={thread.id} />
      ) : (
        <p className="mt-3 text-sm text-muted-foreground">The review is complete: this request takes no more replies.</p>
      )}
    </article>
  );
}

function ReplyForm({ token, clarificationId }: { token: string; clarificationId: string }) {
  const router = useRouter();
  const uid = useId();
  const ids = { body: `${uid}-body`, error: `${uid}-error` };
  const [banner, setBanner] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<TPostClarificationMessageInput, unknown, z.output<typeof ZPostClarificationMessageInput>>({
    resolver: zodResolver(ZPostClarificationMessageInput),
    defaultValues: { clarificationId, body: "", internal: false },
  });

  const onSubmit = handleSubmit(async (values) => {
    setBanner(null);
    // Never an internal note from here; the server refuses one anyway.
    const result = await replyToClarificationAction(token, { clarificationId, body: values.body, internal: false });
    if (result.ok) {
      reset({ clarificationId, body: "", internal: false });
      setBanner({ tone: "success", text: "Reply sent to the auditor." });
      router.refresh();
      return;
    }
    if (result.fieldErrors?.body) setError("body", { message: result.fieldErrors.body });
    else setBanner({ tone: "error", text: result.message });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 space-y-2" aria-label="Reply to the auditor">
      {banner && <Alert tone={banner.tone}>{banner.text}</Alert>}
      <Label htmlFor={ids.body}>Your reply</Label>
      <Textarea
        id={ids.body}
        rows={3}
        maxLength={CLARIFICATION_LIMITS.body}
        aria-invalid={!!formState.errors.body}
        aria-describedby={ids.error}
        {...register("body")}
      />
      <FieldError id={ids.error} message={formState.errors.body?.message} />
      <Button type="submit" size="sm" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Sending…" : "Send reply"}
      </Button>
    </form>
  );
}
