"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { Plus, X } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useRef, useState } from "react";
import { useForm } from "react-hook-form";
import type { z } from "zod";
import { VerdictBadge } from "@/components/review/rating-badge";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Textarea } from "@/components/ui/input";
import { formatDateTime } from "@/lib/format";
import { recordVerdictAction } from "@/lib/review/actions";
import { REVIEW_LIMITS, VERDICT_LABELS, VERDICT_VALUES, ZRecordVerdictInput, type TRecordVerdictInput, type TVerdictValue } from "@/lib/review/schemas";
import type { TVerdictConflict, TVerdictView } from "@/lib/review/types";

const VERDICT_HINTS: Record<TVerdictValue, string> = {
  SUITABLE: "The provider meets what we need.",
  SUITABLE_WITH_CONDITIONS: "Usable once the conditions below are met or accepted.",
  NOT_SUITABLE: "Do not use this provider.",
};

const optionClass =
  "flex cursor-pointer items-start gap-2 rounded-md border border-input bg-background px-3 py-2 text-sm has-[:checked]:border-primary has-[:checked]:bg-primary/10 has-[:focus-visible]:outline-2 has-[:focus-visible]:outline-offset-2 has-[:focus-visible]:outline-ring";

/** The verdict as everyone reads it. */
export function VerdictView({ verdict }: { verdict: TVerdictView | null }) {
  if (!verdict) return <p className="text-sm text-muted-foreground">No verdict has been recorded yet.</p>;
  return (
    <div className="space-y-3 text-sm" data-testid="verdict">
      <VerdictBadge verdict={verdict.verdict} />
      <p className="whitespace-pre-wrap break-words">{verdict.rationale}</p>
      {verdict.conditions.length > 0 && (
        <div>
          <p className="font-medium">Conditions</p>
          <ol className="ml-5 list-decimal space-y-1">
            {verdict.conditions.map((c, i) => (
              <li key={i} className="break-words">
                {c}
              </li>
            ))}
          </ol>
        </div>
      )}
      <p className="text-xs text-muted-foreground">
        {verdict.decidedBy ?? "A reviewer"} · {formatDateTime(verdict.decidedAt)} · revision {verdict.revision}
      </p>
    </div>
  );
}

function valuesOf(auditId: string, v: TVerdictView | null): TRecordVerdictInput {
  return { auditId, verdict: v?.verdict as TVerdictValue, rationale: v?.rationale ?? "", conditions: v?.conditions ?? [], baseRevision: v?.revision ?? 0 };
}

/**
 * The reviewer's verdict: suitable / with conditions / not suitable, the rationale and, for
 * "with conditions", a list of conditions (at least one). Revision-checked like ratings.
 */
export function VerdictForm({ auditId, initial }: { auditId: string; initial: TVerdictView | null }) {
  const router = useRouter();
  const uid = useId();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const [conflict, setConflict] = useState<TVerdictView | null>(null);
  // Stable keys for the conditions' inputs, so that removing one keeps the others' focus and text.
  const keys = useRef<number[]>((initial?.conditions ?? []).map((_, i) => i));
  const nextKey = useRef(keys.current.length);
  // Conditions put aside while another verdict is chosen, restored when "with conditions" is chosen again.
  const parked = useRef<string[]>([]);
  const { register, handleSubmit, setError, reset, watch, setValue, getValues, formState } = useForm<TRecordVerdictInput, unknown, z.output<typeof ZRecordVerdictInput>>({
    resolver: zodResolver(ZRecordVerdictInput),
    defaultValues: valuesOf(auditId, initial),
  });
  const errors = formState.errors;
  const verdict = watch("verdict");
  const conditions = watch("conditions") ?? [];
  const withConditions = verdict === "SUITABLE_WITH_CONDITIONS";
  const conditionsError = errors.conditions?.message ?? errors.conditions?.root?.message;

  const setConditions = (next: string[], options = { shouldDirty: true, shouldValidate: formState.isSubmitted }) => setValue("conditions", next, options);
  const addCondition = () => {
    keys.current = [...keys.current, nextKey.current++];
    setConditions([...(getValues("conditions") ?? []), ""]);
    requestAnimationFrame(() => document.getElementById(`${uid}-condition-${keys.current.length - 1}`)?.focus());
  };
  const removeCondition = (i: number) => {
    keys.current = keys.current.filter((_, j) => j !== i);
    setConditions((getValues("conditions") ?? []).filter((_, j) => j !== i));
  };

  const verdictField = register("verdict", {
    onChange: (e: React.ChangeEvent<HTMLInputElement>) => {
      const next = e.target.value as TVerdictValue;
      const current = getValues("conditions") ?? [];
      if (next === "SUITABLE_WITH_CONDITIONS") {
        if (current.length === 0) {
          const restored = parked.current.length > 0 ? parked.current : [""];
          keys.current = restored.map(() => nextKey.current++);
          setConditions(restored);
        }
      } else if (current.length > 0) {
        // Only "with conditions" has conditions: kept aside, not sent.
        parked.current = current;
        keys.current = [];
        setConditions([]);
      }
    },
  });

  const onSubmit = handleSubmit(async (values) => {
    setMessage(null);
    const result = await recordVerdictAction(values);
    if (result.ok) {
      setConflict(null);
      parked.current = [];
      keys.current = result.data.conditions.map(() => nextKey.current++);
      reset(valuesOf(auditId, result.data));
      setMessage({ tone: "success", text: `Verdict saved: ${VERDICT_LABELS[result.data.verdict]}.` });
      router.refresh();
      return;
    }
    if (result.code === "CONFLICT") {
      setConflict((result.details as TVerdictConflict | undefined)?.current ?? null);
      return;
    }
    const fieldErrors = result.fieldErrors ?? {};
    for (const field of ["verdict", "rationale", "conditions"] as const) if (fieldErrors[field]) setError(field, { message: fieldErrors[field] });
    if (!fieldErrors.verdict && !fieldErrors.rationale && !fieldErrors.conditions) setMessage({ tone: "error", text: result.message });
    if ((result.details as { reason?: string } | undefined)?.reason === "signed_off") router.refresh();
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Verdict">
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      {conflict && (
        <div role="alert" className="space-y-3 rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-950">
          <p>
            <strong>{conflict.decidedBy ?? "Someone"}</strong> recorded a verdict after you opened this page. Read theirs; to replace it, load it and
            change it.
          </p>
          <VerdictView verdict={conflict} />
          <Button
            size="sm"
            variant="secondary"
            onClick={() => {
              keys.current = conflict.conditions.map(() => nextKey.current++);
              parked.current = [];
              reset(valuesOf(auditId, conflict));
              setConflict(null);
            }}
          >
            Load their verdict
          </Button>
        </div>
      )}
      <fieldset aria-describedby={errors.verdict ? `${uid}-verdict-error` : undefined}>
        <legend className="mb-2 text-sm font-medium">Is the provider suitable?</legend>
        <div className="grid gap-2 sm:grid-cols-3">
          {VERDICT_VALUES.map((v) => (
            <label key={v} className={optionClass}>
              <input type="radio" value={v} className="mt-0.5 accent-primary" {...verdictField} />
              <span>
                <span className="block font-medium">{VERDICT_LABELS[v]}</span>
                <span className="block text-xs text-muted-foreground">{VERDICT_HINTS[v]}</span>
              </span>
            </label>
          ))}
        </div>
        <FieldError id={`${uid}-verdict-error`} message={errors.verdict?.message} />
      </fieldset>

      <div className="space-y-1.5">
        <Label htmlFor={`${uid}-rationale`}>Rationale</Label>
        <p id={`${uid}-rationale-hint`} className="text-sm text-muted-foreground">
          Why: what weighed most, which answers and evidence it rests on.
        </p>
        <Textarea
          id={`${uid}-rationale`}
          rows={4}
          maxLength={REVIEW_LIMITS.rationale}
          aria-invalid={!!errors.rationale}
          aria-describedby={`${uid}-rationale-hint ${uid}-rationale-error`}
          {...register("rationale")}
        />
        <FieldError id={`${uid}-rationale-error`} message={errors.rationale?.message} />
      </div>

      {withConditions && (
        <fieldset className="space-y-2" aria-describedby={conditionsError ? `${uid}-conditions-error` : undefined}>
          <legend className="text-sm font-medium">Conditions</legend>
          <ol className="space-y-2">
            {conditions.map((value, i) => {
              const itemError = errors.conditions?.[i]?.message;
              return (
                <li key={keys.current[i] ?? `extra-${i}`} className="space-y-1">
                  <div className="flex items-center gap-2">
                    <span aria-hidden className="w-5 shrink-0 text-right text-sm tabular-nums text-muted-foreground">
                      {i + 1}.
                    </span>
                    <Input
                      id={`${uid}-condition-${i}`}
                      aria-label={`Condition ${i + 1}`}
                      value={value}
                      maxLength={REVIEW_LIMITS.condition}
                      aria-invalid={!!itemError}
                      aria-describedby={`${uid}-condition-${i}-error`}
                      onChange={(e) => setValue(`conditions.${i}`, e.target.value, { shouldDirty: true, shouldValidate: formState.isSubmitted })}
                    />
                    <Button variant="ghost" size="icon" aria-label={`Remove condition ${i + 1}`} onClick={() => removeCondition(i)}>
                      <X aria-hidden className="size-4" />
                    </Button>
                  </div>
                  <div className="pl-7">
                    <FieldError id={`${uid}-condition-${i}-error`} message={itemError} />
                  </div>
                </li>
              );
            })}
          </ol>
          <FieldError id={`${uid}-conditions-error`} message={conditionsError} />
          {conditions.length < REVIEW_LIMITS.conditions && (
            <Button variant="secondary" size="sm" onClick={addCondition}>
              <Plus aria-hidden className="size-4" /> Add a condition
            </Button>
          )}
        </fieldset>
      )}

      <div className="flex flex-wrap items-center gap-3">
        <Button type="submit" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Saving…" : "Save the verdict"}
        </Button>
        {formState.isDirty && !formState.isSubmitting && <span className="text-sm text-muted-foreground">Changed, not saved yet</span>}
      </div>
    </form>
  );
}
