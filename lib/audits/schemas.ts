import { z } from "zod";
import { optionalText } from "@/lib/schema-helpers";

// One schema per form, used by react-hook-form on the client and by the action on the server.

export const ZAuditId = z.uuid({ error: "not an audit id" });

export const ZCreateAuditInput = z.object({
  questionnaireVersionId: z.uuid({ error: "choose a questionnaire" }),
  providerName: z.string().trim().min(1, "enter the provider's name").max(200, "keep it under 200 characters"),
  providerContactName: optionalText(200),
  providerContactEmail: z
    .string()
    .trim()
    .max(320)
    .transform((s) => (s === "" ? undefined : s))
    .pipe(z.email("enter a valid e-mail address").optional())
    .optional(),
  /** Scope flags of the chosen questionnaire; unknown flags are refused by createAudit. */
  scope: z.record(z.string().max(120), z.boolean()).default({}),
});
export type TCreateAuditInput = z.input<typeof ZCreateAuditInput>;
export type TCreateAuditParsed = z.output<typeof ZCreateAuditInput>;

export const MEMBER_ROLES = ["OFFICER", "REVIEWER"] as const;

export const ZAddAuditMemberInput = z.object({
  auditId: ZAuditId,
  email: z.string().trim().toLowerCase().pipe(z.email("enter a valid e-mail address")),
  role: z.enum(MEMBER_ROLES, { error: "choose officer or reviewer" }),
});
export type TAddAuditMemberInput = z.input<typeof ZAddAuditMemberInput>;
