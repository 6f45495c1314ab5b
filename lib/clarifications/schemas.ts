import { z } from "zod";
import { earliestToday } from "./due-date";

// One schema per form, used by react-hook-form on the client and by the operation on the server.

export const CLARIFICATION_LIMITS = { body: 10_000 } as const;

export const ZClarificationId = z.uuid({ error: "not a clarification id" });

export const ZClarificationBody = z
  .string({ error: "write a message" })
  .trim()
  .min(1, "write a message")
  .max(CLARIFICATION_LIMITS.body, `keep it under ${CLARIFICATION_LIMITS.body.toLocaleString("en")} characters`);

/** Optional; "" (an emptied date field) means none. Today or later, see earliestToday. */
export const ZDueOn = z
  .string()
  .trim()
  .transform((s) => (s === "" ? undefined : s))
  .pipe(
    z
      .iso.date({ error: "enter a date" })
      .refine((d) => d >= earliestToday(), "pick today or a later date")
      .optional(),
  )
  .optional();

export const ZOpenClarificationInput = z.object({
  auditId: z.uuid({ error: "not an audit id" }),
  questionId: z.string().trim().min(1, "choose a question").max(120, "unknown question"),
  /** The first message, shown to the provider. */
  body: ZClarificationBody,
  dueOn: ZDueOn,
});
export type TOpenClarificationInput = z.input<typeof ZOpenClarificationInput>;

/**
 * A message in a thread. `internal`: a note for officers and reviewers, never shown through an
 * invite link. The provider's form never sets it, and postClarificationMessage refuses it from
 * an invite (as does the database's CHECK).
 */
export const ZPostClarificationMessageInput = z.object({
  clarificationId: ZClarificationId,
  body: ZClarificationBody,
  internal: z.boolean().default(false),
});
export type TPostClarificationMessageInput = z.input<typeof ZPostClarificationMessageInput>;

/** An officer resolves a thread, or reopens it. ANSWERED is only ever set by a provider's reply. */
export const ZSetClarificationStatusInput = z.object({
  clarificationId: ZClarificationId,
  status: z.enum(["OPEN", "RESOLVED"], { error: "choose open or resolved" }),
});
export type TSetClarificationStatusInput = z.input<typeof ZSetClarificationStatusInput>;
