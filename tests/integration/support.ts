import { expect } from "vitest";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** The AppError a domain operation failed with; fails the test if it succeeded or threw something else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** An audit's trail, oldest first. */
export const events = (auditId: string) => getDb().auditEvent.findMany({ where: { auditId }, orderBy: { id: "asc" } });
