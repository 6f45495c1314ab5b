import "server-only";
import { contentDisposition, sanitizeFileName } from "@/lib/attachments/file-name";
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

/** Headers of a manifest download (the team's route and the share link's): an attachment, never run or cached. */
export function packageManifestHeaders(manifest: { fileName: string }): Record<string, string> {
  return {
    "Content-Type": "application/json; charset=utf-8",
    "Content-Disposition": contentDisposition(sanitizeFileName(manifest.fileName).name),
    "X-Content-Type-Options": "nosniff",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "Cache-Control": "private, no-store",
  };
}
