import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { requirePackageAccess } from "../require-package-access";
import { ZPackageShareRef, type TPackageShareRef } from "./schemas";

const NOT_FOUND = () => new AppError("NOT_FOUND", "This share link does not exist or you have no access to it.");

/**
 * An officer or reviewer of the audit (issue access) withdraws a share link: it stops working at
 * once, for the page and for downloads. A second revoke is a CONFLICT, so the trail holds one
 * "package.share_revoked" per link.
 */
export async function revokePackageShare({
  user,
  input,
  now = new Date(),
}: {
  user: TCurrentUser;
  input: TPackageShareRef;
  now?: Date;
}): Promise<{ id: string; packageId: string; auditId: string; revokedAt: Date }> {
  const parsed = ZPackageShareRef.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { packageId, shareId } = parsed.data;
  const db = getDb();
  const share = await db.packageShare.findFirst({ where: { id: shareId, packageId }, select: { id: true, label: true, package: { select: { auditId: true } } } });
  if (!share) throw NOT_FOUND();
  const auditId = share.package.auditId;
  try {
    await requirePackageAccess({ user, auditId, need: "issue" });
  } catch (e) {
    if (e instanceof AppError && e.code === "NOT_FOUND") throw NOT_FOUND();
    throw e;
  }

  return db.$transaction(async (tx) => {
    // The condition makes a second (or a concurrent) revoke match nothing, which we report.
    const { count } = await tx.packageShare.updateMany({ where: { id: share.id, revokedAt: null }, data: { revokedAt: now } });
    if (count === 0) throw new AppError("CONFLICT", "This link was already revoked.");
    await recordAuditEvent(tx, { auditId, actorId: user.id, action: "package.share_revoked", subject: packageId, data: { packageId, shareId: share.id, label: share.label } });
    return { id: share.id, packageId, auditId, revokedAt: now };
  });
}
