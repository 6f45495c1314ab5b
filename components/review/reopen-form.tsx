"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useId, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Label, Textarea } from "@/components/ui/input";
import { reopenAuditAction } from "@/lib/review/actions";
import { REVIEW_LIMITS, ZReopenAuditInput, type TReopenAuditInput } from "@/lib/review/schemas";

/** An administrator reopens a signed-off audit, saying why (recorded, and sent to the audit's owner). */
export function ReopenForm({ auditId }: { auditId: string }) {
  const router = useRouter();
  const uid = useId();
  const [message, setMessage] = useState<string | null>(null);
  const { register, handleSubmit, setError, formState } = useForm<TReopenAuditInput, unknown, z.output<typeof ZReopenAuditInput>>({
    resolver: zodResolver(ZReopenAuditInput),
    defaultValues: { auditId, reason: "" },
  });

  const onSubmit = handleSubmit(async (values) => {
    setMessage(null);
    const result = await reopenAuditAction(values);
    if (result.ok) {
      router.refresh();
      return;
    }
    if (result.fieldErrors?.reason) setError("reason", { message: result.fieldErrors.reason });
    else setMessage(result.message);
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3" aria-label="Reopen the audit">
      {message && <Alert tone="error">{message}</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor={`${uid}-reason`}>Why reopen it?</Label>
        <p id={`${uid}-hint`} className="text-sm text-muted-foreground">
          Recorded in the audit's trail and sent to its owner. Evidence packages already issued stay as they are; the next sign-off gets a new one.
        </p>
        <Textarea
          id={`${uid}-reason`}
          rows={3}
          maxLength={REVIEW_LIMITS.reason}
          aria-invalid={!!formState.errors.reason}
          aria-describedby={`${uid}-hint ${uid}-error`}
          {...register("reason")}
        />
        <FieldError id={`${uid}-error`} message={formState.errors.reason?.message} />
      </div>
      <Button type="submit" variant="secondary" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Reopening…" : "Reopen the audit"}
      </Button>
    </form>
  );
}
