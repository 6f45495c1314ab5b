import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { getDb } from "@/lib/db";
import { requirePackageAccess } from "../require-package-access";
import { packageShareState } from "./share-state";
import type { TPackageShareView } from "./share-view";

/** Share links by package id; a package without links has no entry. */
export type TPackageSharesByPackage = Record<string, TPackageShareView[]>;

/**
 * The share links of an audit's packages, newest first, for its team (anyone who may view the
 * audit: who was given the package, and whether they fetched it, belongs to the record). The
 * download counts come from the audit trail, where openPackageDownload records each download
 * with the link's id. Two queries for the whole audit, however many packages and links.
 */
export async function listPackageShares({ user, auditId, now = new Date() }: { user: TCurrentUser; auditId: string; now?: Date }): Promise<TPackageSharesByPackage> {
  const access = await requirePackageAccess({ user, auditId, need: "view" });
  const db = getDb();
  const [rows, downloads] = await Promise.all([
    db.packageShare.findMany({
      where: { package: { auditId: access.auditId } },
      orderBy: [{ createdAt: "desc" }, { id: "asc" }],
      select: { id: true, packageId: true, label: true, createdAt: true, expiresAt: true, revokedAt: true, createdBy: { select: { name: true, email: true } } },
    }),
    db.$queryRaw<{ share_id: string; downloads: bigint; last_at: Date }[]>`
      SELECT data->>'shareId' AS share_id, count(*) AS downloads, max(created_at) AS last_at
        FROM audit_event
       WHERE audit_id = ${access.auditId}::uuid AND action = 'package.downloaded' AND data ? 'shareId'
       GROUP BY 1`,
  ]);
  const counts = new Map(downloads.map((d) => [d.share_id, d]));
  const byPackage: TPackageSharesByPackage = {};
  for (const r of rows) {
    const d = counts.get(r.id);
    (byPackage[r.packageId] ??= []).push({
      id: r.id,
      packageId: r.packageId,
      label: r.label,
      state: packageShareState(r, now),
      createdAt: r.createdAt.toISOString(),
      createdBy: r.createdBy.name ?? r.createdBy.email,
      expiresAt: r.expiresAt.toISOString(),
      revokedAt: r.revokedAt?.toISOString() ?? null,
      downloads: d ? Number(d.downloads) : 0,
      lastDownloadAt: d ? d.last_at.toISOString() : null,
    });
  }
  return byPackage;
}
