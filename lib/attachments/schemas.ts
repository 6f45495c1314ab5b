import { z } from "zod";
import { optionalText } from "@/lib/schema-helpers";

// The non-file fields of an upload. One schema, used by the uploader form on the client and by
// addAttachment on the server.

export const ZAttachmentId = z.uuid({ error: "not an attachment id" });

/** A question or evidence-item id of a questionnaire (the format's id rule, lib/questionnaires/schema.ts). */
const ZTargetId = z
  .string()
  .min(1)
  .max(120, "not a known id")
  .regex(/^[a-z0-9]+(?:[-.][a-z0-9]+)*$/, "not a known id");

/** YYYY-MM-DD, a real calendar day between 2000 and 2199. */
export const ZIsoDate = z
  .string()
  .trim()
  .regex(/^(20|21)\d\d-\d\d-\d\d$/, "enter a date as YYYY-MM-DD")
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
  }, "this day does not exist");

export const ZUploadFields = z
  .strictObject(
    {
      questionId: ZTargetId.optional(),
      evidenceItemId: ZTargetId.optional(),
      /** For certificates (ISO 27001, ISO 14001…): who issued it, what it covers, until when it is valid. */
      certificateIssuer: optionalText(200),
      certificateScope: optionalText(500),
      certificateExpiresOn: z
        .string()
        .trim()
        .transform((s) => (s === "" ? undefined : s))
        .pipe(ZIsoDate.optional())
        .optional(),
    },
    { error: (issue) => (issue.code === "unrecognized_keys" ? `unknown field: ${issue.keys.join(", ")}` : undefined) },
  )
  .refine((f) => (f.questionId === undefined) !== (f.evidenceItemId === undefined), {
    message: "attach the file to either a question or an evidence item",
    path: ["questionId"],
  });
export type TUploadFields = z.output<typeof ZUploadFields>;
export type TUploadFieldsInput = z.input<typeof ZUploadFields>;

/** The form field names, in the order the uploader sends them (the file always last). */
export const UPLOAD_FIELD_NAMES = ["questionId", "evidenceItemId", "certificateIssuer", "certificateScope", "certificateExpiresOn"] as const;
export const UPLOAD_FILE_FIELD = "file";

/** `?questionId=…` or `?evidenceItemId=…` of the list routes (both optional). */
export const ZAttachmentListFilter = z.strictObject({
  questionId: ZTargetId.optional(),
  evidenceItemId: ZTargetId.optional(),
});
