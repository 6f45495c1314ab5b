import "server-only";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPackage } from "./get-package";
import type { TPackageReader } from "./open-package-download";

/**
 * The machine-readable twin of a ready package: the manifest.json embedded in its PDF, as
 * stored beside it (answers, ratings, verdict, attachment hashes). Same access as the PDF.
 */
export async function getPackageManifest({ reader, packageId }: { reader: TPackageReader; packageId: string }): Promise<{ json: string; fileName: string }> {
  if (reader.kind === "user") await getPackage({ user: reader.user, packageId });
  const row = await getDb().evidencePackage.findUnique({ where: { id: packageId }, select: { state: true, version: true, manifest: true, audit: { select: { providerName: true } } } });
  if (!row) throw new AppError("NOT_FOUND", "This evidence package does not exist or you have no access to it.");
  if (row.state !== "READY" || row.manifest === null) throw new AppError("CONFLICT", "This package is not ready yet.", { details: { state: row.state } });
  return { json: row.manifest, fileName: `evidence-package-${row.audit.providerName}-v${row.version}.manifest.json` };
}
