import { z } from "zod";

export const ZRequestPackageInput = z.object({
  auditId: z.uuid({ error: "not an audit id" }),
  /** The audit team's internal notes in the clarification threads: never for the provider's eyes. */
  includeInternalNotes: z.boolean().default(false),
});
export type TRequestPackageInput = z.input<typeof ZRequestPackageInput>;

export const ZPackageId = z.uuid({ error: "not a package id" });
