import { z } from "zod";
import { ZAuditId } from "@/lib/audits/schemas";

// One schema per form, used by react-hook-form on the client and by the operations on the server.

export const INVITE_EXPIRY_DAYS = { min: 1, max: 90, default: 30 } as const;

export const ZInviteId = z.uuid({ error: "not an invite id" });

const ZExpiresInDays = z
  .number({ error: "enter a number of days" })
  .int("whole days only")
  .min(INVITE_EXPIRY_DAYS.min, `at least ${INVITE_EXPIRY_DAYS.min} day`)
  .max(INVITE_EXPIRY_DAYS.max, `at most ${INVITE_EXPIRY_DAYS.max} days`)
  .default(INVITE_EXPIRY_DAYS.default);

export const ZCreateInviteInput = z.object({
  auditId: ZAuditId,
  name: z.string().trim().min(1, "enter the contact's name").max(200, "keep it under 200 characters"),
  email: z.string().trim().toLowerCase().max(320, "keep it under 320 characters").pipe(z.email("enter a valid e-mail address")),
  /**
   * Section ids of the audit's pinned questionnaire version that this contact answers; empty
   * means every section. Unknown ids are refused by createInvite (it knows the version).
   */
  sections: z.array(z.string().min(1).max(120)).max(100).default([]),
  expiresInDays: ZExpiresInDays,
});
export type TCreateInviteInput = z.input<typeof ZCreateInviteInput>;
export type TCreateInviteParsed = z.output<typeof ZCreateInviteInput>;

/** An invite of an audit: the audit id scopes the lookup, so an id from another audit is unknown. */
export const ZInviteRef = z.object({ auditId: ZAuditId, inviteId: ZInviteId });
export type TInviteRef = z.input<typeof ZInviteRef>;

export const ZReissueInviteInput = ZInviteRef.extend({ expiresInDays: ZExpiresInDays });
export type TReissueInviteInput = z.input<typeof ZReissueInviteInput>;
