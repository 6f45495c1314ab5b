import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { contentDisposition, sanitizeFileName } from "@/lib/attachments/file-name";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { getPackage } from "./get-package";
import { packageStore } from "./issue-evidence-package";
import { selectPackageView, toPackageView, type TPackageView } from "./package-view";

/** Who downloads: a user who may view the audit, or an external auditor through a share link. */
export type TPackageReader = { kind: "user"; user: TCurrentUser } | { kind: "share"; shareId: string; label: string };

export interface TPackageDownload {
  pkg: TPackageView;
  fileName: string;
  stream: ReadableStream<Uint8Array>;
}

/**
 * A READY package's bytes as a stream from storage, after recording the download in the audit
 * trail (who, or which share link). A user's access is checked here; a share link's by the
 * caller (resolvePackageShare) before it passes the package id.
 */
export async function openPackageDownload({ reader, packageId }: { reader: TPackageReader; packageId: string }): Promise<TPackageDownload> {
  const pkg = reader.kind === "user" ? await getPackage({ user: reader.user, packageId }) : await readPackage(packageId);
  if (pkg.state !== "READY" || pkg.size === null) {
    throw new AppError("CONFLICT", "This package is not ready yet.", { details: { state: pkg.state } });
  }
  const provider = await getDb().audit.findUniqueOrThrow({ where: { id: pkg.auditId }, select: { providerName: true } });
  await recordAuditEvent(getDb(), {
    auditId: pkg.auditId,
    actorId: reader.kind === "user" ? reader.user.id : null,
    action: "package.downloaded",
    subject: pkg.id,
    data: reader.kind === "user" ? { version: pkg.version } : { version: pkg.version, shareId: reader.shareId, sharedWith: reader.label },
  });
  return { pkg, fileName: packageFileName(provider.providerName, pkg.version!), stream: packageStore.get(pkg.id, pkg.size) };
}

async function readPackage(packageId: string): Promise<TPackageView> {
  const row = await getDb().evidencePackage.findUniqueOrThrow({ where: { id: packageId }, select: selectPackageView });
  return toPackageView(row);
}

/** "evidence-package-Example Cloud AB-v2.pdf", cleaned like uploaded file names. */
export function packageFileName(providerName: string, version: number): string {
  return sanitizeFileName(`evidence-package-${providerName}-v${version}.pdf`).name;
}

/** Headers of a package download: an attachment, never cached, its hash beside it. */
export function packageDownloadHeaders(download: TPackageDownload): Record<string, string> {
  return {
    "Content-Type": "application/pdf",
    "Content-Disposition": contentDisposition(download.fileName),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "private, no-store",
    "Content-Security-Policy": "default-src 'none'; sandbox",
    "X-Package-Size": String(download.pkg.size),
    "X-Package-Sha256": download.pkg.sha256 ?? "",
  };
}
