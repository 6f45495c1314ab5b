import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { canIssuePackages, requirePackageAccess } from "./require-package-access";
import { selectPackageView, toPackageView, type TPackageView } from "./package-view";

export interface TAuditPackages {
  packages: TPackageView[];
  /** The audit is signed off: a package can be issued for this sign-off. */
  signedOff: boolean;
  /** Which sign-off the audit is at: packages of an earlier one are of an earlier state. */
  signOff: number;
  canIssue: boolean;
}

/** The audit's packages, newest first, and what the viewer may do. */
export async function listAuditPackages({ user, auditId }: { user: TCurrentUser; auditId: string }): Promise<TAuditPackages> {
  const access = await requirePackageAccess({ user, auditId, need: "view" });
  const db = getDb();
  const [audit, rows] = await Promise.all([
    db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { status: true, signOffCount: true } }),
    db.evidencePackage.findMany({ where: { auditId }, orderBy: [{ requestedAt: "desc" }], select: selectPackageView }),
  ]);
  return { packages: rows.map(toPackageView), signedOff: audit.status === "SIGNED_OFF", signOff: audit.signOffCount, canIssue: canIssuePackages(access) };
}
