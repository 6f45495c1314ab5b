"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { MessageCircleQuestion } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { openClarificationAction } from "@/lib/clarifications/actions";
import { CLARIFICATION_LIMITS, ZOpenClarificationInput, type TOpenClarificationInput } from "@/lib/clarifications/schemas";

interface Props {
  auditId: string;
  questionId: string;
  /** Threads on this question that are not resolved yet, to say so beside the button. */
  openCount?: number;
}

/**
 * "Ask the provider to clarify" on an officer's question card: a button that opens a small
 * form (message, optional due date). The message is shown to the provider.
 */
export function AskClarification({ auditId, questionId, openCount = 0 }: Props) {
  const router = useRouter();
  const uid = useId();
  const ids = { body: `${uid}-body`, due: `${uid}-due`, bodyError: `${uid}-body-error`, dueError: `${uid}-due-error`, hint: `${uid}-hint` };
  const toggleRow = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<TOpenClarificationInput, unknown, z.output<typeof ZOpenClarificationInput>>({
    resolver: zodResolver(ZOpenClarificationInput),
    defaultValues: { auditId, questionId, body: "", dueOn: "" },
  });
  const errors = formState.errors;

  const close = (text?: string) => {
    reset({ auditId, questionId, body: "", dueOn: "" });
    setOpen(false);
    setMessage(text ? { tone: "success", text } : null);
    // The form is gone: the keyboard continues on the button that opened it.
    requestAnimationFrame(() => toggleRow.current?.querySelector("button")?.focus());
  };

  const onSubmit = handleSubmit(async (values) => {
    setMessage(null);
    const result = await openClarificationAction({ ...values, auditId, questionId });
    if (result.ok) {
      close("Clarification requested. The provider sees it with their questions.");
      router.refresh();
      return;
    }
    const fieldErrors = result.fieldErrors ?? {};
    for (const field of ["body", "dueOn"] as const) if (fieldErrors[field]) setError(field, { message: fieldErrors[field] });
    if (!fieldErrors.body && !fieldErrors.dueOn) setMessage({ tone: "error", text: fieldErrors.questionId ?? result.message });
  });

  if (!open) {
    return (
      <div ref={toggleRow} className="mt-2 flex flex-wrap items-center gap-2">
        <Button variant="ghost" size="sm" className="-ml-3 text-primary" onClick={() => {
            setMessage(null);
            setOpen(true);
          }}>
          <MessageCircleQuestion aria-hidden className="size-4" />
          Ask the provider to clarify
        </Button>
        {openCount > 0 && (
          <span className="text-sm text-muted-foreground">
            {openCount} open clarification{openCount === 1 ? "" : "s"}
          </span>
        )}
        {message && (
          <p role="status" className="text-sm text-success">
            {message.text}
          </p>
        )}
      </div>
    );
  }

  // Local today: never before the schema's limit (the earliest time zone's today).
  const today = new Date().toLocaleDateString("en-CA");
  return (
    <form onSubmit={onSubmit} noValidate className="mt-3 space-y-3 rounded-md border border-border bg-muted/40 p-3" aria-label="Ask the provider to clarify">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor={ids.body}>What should the provider clarify?</Label>
        <p id={ids.hint} className="text-sm text-muted-foreground">
          The provider sees this message.
        </p>
        <Textarea
          id={ids.body}
          rows={3}
          autoFocus
          maxLength={CLARIFICATION_LIMITS.body}
          aria-invalid={!!errors.body}
          aria-describedby={`${ids.hint} ${ids.bodyError}`}
          {...register("body")}
        />
        <FieldError id={ids.bodyError} message={errors.body?.message} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor={ids.due}>
          Reply due by <span className="font-normal text-muted-foreground">(optional)</span>
        </Label>
        <Input id={ids.due} type="date" min={today} className="w-44" aria-invalid={!!errors.dueOn} aria-describedby={ids.dueError} {...register("dueOn")} />
        <FieldError id={ids.dueError} message={errors.dueOn?.message} />
      </div>
      <div className="flex gap-2">
        <Button type="submit" size="sm" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Sending…" : "Send to the provider"}
        </Button>
        <Button variant="ghost" size="sm" onClick={() => close()}>
          Cancel
        </Button>
      </div>
    </form>
  );
}
