"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import { createAuditAction } from "@/lib/audits/actions";
import { ZCreateAuditInput, type TCreateAuditInput, type TCreateAuditParsed } from "@/lib/audits/schemas";

interface VersionOption {
  id: string;
  label: string;
  summary: string | null;
  scopes: { id: string; label: string; description: string | null; default: boolean }[];
}

export function CreateAuditForm({ versions }: { versions: VersionOption[] }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const first = versions[0];
  const form = useForm<TCreateAuditInput, unknown, TCreateAuditParsed>({
    resolver: zodResolver(ZCreateAuditInput),
    defaultValues: {
      questionnaireVersionId: first?.id ?? "",
      providerName: "",
      providerContactName: "",
      providerContactEmail: "",
      scope: Object.fromEntries((first?.scopes ?? []).map((s) => [s.id, s.default])),
    },
  });
  const { register, handleSubmit, watch, setValue, setError, formState } = form;
  const errors = formState.errors;
  const selected = versions.find((v) => v.id === watch("questionnaireVersionId"));

  if (!first) {
    return <Alert tone="warning">No questionnaire is loaded. Add one under questionnaires/ and restart Assay.</Alert>;
  }

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await createAuditAction(values);
    if (result.ok) {
      router.push(`/audits/${result.data.id}`);
      return;
    }
    setFormError(result.message);
    for (const [field, message] of Object.entries(result.fieldErrors ?? {})) {
      setError(field as keyof TCreateAuditInput, { message });
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-5">
      {formError && <Alert tone="error">{formError}</Alert>}

      <div className="space-y-1.5">
        <Label htmlFor="questionnaireVersionId">Questionnaire</Label>
        <Select
          id="questionnaireVersionId"
          aria-invalid={!!errors.questionnaireVersionId}
          aria-describedby="questionnaireVersionId-error"
          {...register("questionnaireVersionId", {
            onChange: (e) => {
              const v = versions.find((x) => x.id === e.target.value);
              setValue("scope", Object.fromEntries((v?.scopes ?? []).map((s) => [s.id, s.default])));
            },
          })}
        >
          {versions.map((v) => (
            <option key={v.id} value={v.id}>
              {v.label}
            </option>
          ))}
        </Select>
        {selected?.summary && <p className="text-sm text-muted-foreground">{selected.summary}</p>}
        <FieldError id="questionnaireVersionId-error" message={errors.questionnaireVersionId?.message} />
      </div>

      <div className="space-y-1.5">
        <Label htmlFor="providerName">Provider</Label>
        <Input
          id="providerName"
          autoFocus
          autoComplete="organization"
          aria-invalid={!!errors.providerName}
          aria-describedby="providerName-error"
          placeholder="e.g. Example Cloud AB"
          {...register("providerName")}
        />
        <FieldError id="providerName-error" message={errors.providerName?.message} />
      </div>

      <div className="grid gap-4 sm:grid-cols-2">
        <div className="space-y-1.5">
          <Label htmlFor="providerContactName">
            Contact person <span className="font-normal text-muted-foreground">(optional)</span>
          </Label>
          <Input
            id="providerContactName"
            autoComplete="off"
            aria-invalid={!!errors.providerContactName}
            aria-describedby="providerContactName-error"
            {...register("providerContactName")}
          />
          <FieldError id="providerContactName-error" message={errors.providerContactName?.message} />
        </div>
        <div className="space-y-1.5">
          <Label htmlFor="providerContactEmail">
            Contact e-mail <span className="font-normal text-muted-foreground">(optional)</span>
          </Label>
          <Input
            id="providerContactEmail"
            type="email"
            autoComplete="off"
            aria-invalid={!!errors.providerContactEmail}
            aria-describedby="providerContactEmail-error"
            {...register("providerContactEmail")}
          />
          <FieldError id="providerContactEmail-error" message={errors.providerContactEmail?.message} />
        </div>
      </div>

      {selected && selected.scopes.length > 0 && (
        <fieldset className="space-y-3" aria-describedby="scope-error">
          <legend className="text-sm font-medium">Scope</legend>
          <p className="text-sm text-muted-foreground">Questions that only apply in some cases are shown when their scope is ticked.</p>
          {selected.scopes.map((s) => (
            <div key={s.id} className="flex items-start gap-3">
              <input id={`scope-${s.id}`} type="checkbox" className="mt-0.5 size-4 shrink-0 accent-primary" {...register(`scope.${s.id}`)} />
              <div>
                <Label htmlFor={`scope-${s.id}`}>{s.label}</Label>
                {s.description && <p className="text-sm text-muted-foreground">{s.description}</p>}
              </div>
            </div>
          ))}
          <FieldError id="scope-error" message={(errors.scope as { message?: string } | undefined)?.message} />
        </fieldset>
      )}

      <div className="flex justify-end gap-3">
        <Button variant="secondary" onClick={() => router.push("/audits")}>
          Cancel
        </Button>
        <Button type="submit" disabled={formState.isSubmitting}>
          {formState.isSubmitting ? "Opening…" : "Open audit"}
        </Button>
      </div>
    </form>
  );
}
