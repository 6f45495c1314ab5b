"use client";

import { zodResolver } from "@hookform/resolvers/zod";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { useForm } from "react-hook-form";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { FieldError, Input, Label, Select } from "@/components/ui/input";
import { addAuditMemberAction } from "@/lib/audits/actions";
import { ZAddAuditMemberInput, type TAddAuditMemberInput } from "@/lib/audits/schemas";

export function AddMemberForm({ auditId }: { auditId: string }) {
  const router = useRouter();
  const [message, setMessage] = useState<{ tone: "error" | "success"; text: string } | null>(null);
  const { register, handleSubmit, setError, reset, formState } = useForm<TAddAuditMemberInput>({
    resolver: zodResolver(ZAddAuditMemberInput),
    defaultValues: { auditId, email: "", role: "REVIEWER" },
  });
  const errors = formState.errors;

  const onSubmit = handleSubmit(async (values) => {
    setMessage(null);
    const result = await addAuditMemberAction(values);
    if (result.ok) {
      reset({ auditId, email: "", role: values.role });
      setMessage({ tone: "success", text: `${result.data.name ?? values.email} was added.` });
      router.refresh();
      return;
    }
    // Field errors speak for themselves beside their field; the banner is for the rest.
    if (!result.fieldErrors) setMessage({ tone: "error", text: result.message });
    for (const [field, msg] of Object.entries(result.fieldErrors ?? {})) setError(field as keyof TAddAuditMemberInput, { message: msg });
  });

  return (
    <form onSubmit={onSubmit} noValidate className="space-y-3 border-t border-border pt-4">
      <p className="font-medium">Add a member</p>
      {message && <Alert tone={message.tone}>{message.text}</Alert>}
      <div className="space-y-1.5">
        <Label htmlFor="member-email">E-mail</Label>
        <Input id="member-email" type="email" aria-invalid={!!errors.email} aria-describedby="member-email-error" {...register("email")} />
        <FieldError id="member-email-error" message={errors.email?.message} />
      </div>
      <div className="space-y-1.5">
        <Label htmlFor="member-role">Role in this audit</Label>
        <Select id="member-role" aria-invalid={!!errors.role} aria-describedby="member-role-error" {...register("role")}>
          <option value="REVIEWER">Reviewer</option>
          <option value="OFFICER">Officer</option>
        </Select>
        <FieldError id="member-role-error" message={errors.role?.message} />
      </div>
      <Button type="submit" variant="secondary" size="sm" disabled={formState.isSubmitting}>
        {formState.isSubmitting ? "Adding…" : "Add member"}
      </Button>
    </form>
  );
}
