import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { selectPackageView, toPackageView, type TPackageView } from "./package-view";
import { requirePackageAccess } from "./require-package-access";
import { ZPackageId } from "./schemas";

const NOT_FOUND = () => new AppError("NOT_FOUND", "This evidence package does not exist or you have no access to it.");

/** One package (its job's progress while it runs), for anyone who may view its audit. */
export async function getPackage({ user, packageId }: { user: TCurrentUser; packageId: string }): Promise<TPackageView> {
  if (!ZPackageId.safeParse(packageId).success) throw NOT_FOUND();
  const row = await getDb().evidencePackage.findUnique({ where: { id: packageId }, select: selectPackageView });
  if (!row) throw NOT_FOUND();
  try {
    await requirePackageAccess({ user, auditId: row.auditId, need: "view" });
  } catch (e) {
    // Outsiders learn nothing, not even that the audit exists.
    if (e instanceof AppError && e.code === "NOT_FOUND") throw NOT_FOUND();
    throw e;
  }
  return toPackageView(row);
}
