import { z } from "zod";
import { ZPackageId } from "../schemas";

// One schema per form, used by react-hook-form on the client and by the operations on the server.

/** A share link lives 1–90 days; two weeks unless the sharer says otherwise. */
export const SHARE_EXPIRY_DAYS = { min: 1, max: 90, default: 14 } as const;

export const ZShareId = z.uuid({ error: "not a share link id" });

export const ZCreatePackageShareInput = z.object({
  packageId: ZPackageId,
  /** Who the link is for, in the sharer's words ("External auditor, Example GmbH"). */
  label: z.string().trim().min(1, "say who the link is for").max(200, "keep it under 200 characters"),
  expiresInDays: z
    .number({ error: "enter a number of days" })
    .int("whole days only")
    .min(SHARE_EXPIRY_DAYS.min, `at least ${SHARE_EXPIRY_DAYS.min} day`)
    .max(SHARE_EXPIRY_DAYS.max, `at most ${SHARE_EXPIRY_DAYS.max} days`)
    .default(SHARE_EXPIRY_DAYS.default),
});
export type TCreatePackageShareInput = z.input<typeof ZCreatePackageShareInput>;
export type TCreatePackageShareParsed = z.output<typeof ZCreatePackageShareInput>;

/** A share link of a package: the package id scopes the lookup, so an id of another package is unknown. */
export const ZPackageShareRef = z.object({ packageId: ZPackageId, shareId: ZShareId });
export type TPackageShareRef = z.input<typeof ZPackageShareRef>;
