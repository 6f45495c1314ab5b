import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { generateToken } from "@/lib/invites/tokens";
import { requirePackageAccess } from "../require-package-access";
import { ZCreatePackageShareInput, type TCreatePackageShareInput } from "./schemas";
import { packageShareUrl } from "./share-url";
import type { TPackageShareView } from "./share-view";

const DAY_MS = 24 * 60 * 60 * 1000;

export interface TCreatedPackageShare {
  share: TPackageShareView;
  auditId: string;
  /** The link's secret. Returned this once; only its SHA-256 is stored, so it cannot be shown again. */
  token: string;
  /** `${base}/p/${token}`. */
  url: string;
}

const NOT_FOUND = () => new AppError("NOT_FOUND", "This evidence package does not exist or you have no access to it.");

/**
 * An officer or reviewer of the audit (issue access) makes an expiring download link for one
 * issued package, for someone without an account (an external ISO 27001 auditor). The token has
 * 256 random bits and only its SHA-256 is stored (as for invites, docs/decisions/006); the row
 * and its "package.shared" event commit together, and the event never holds the token.
 */
export async function createPackageShare({
  user,
  input,
  now = new Date(),
}: {
  user: TCurrentUser;
  input: TCreatePackageShareInput;
  now?: Date;
}): Promise<TCreatedPackageShare> {
  const parsed = ZCreatePackageShareInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { packageId, label, expiresInDays } = parsed.data;
  const db = getDb();
  const pkg = await db.evidencePackage.findUnique({ where: { id: packageId }, select: { auditId: true, state: true, version: true, includeInternalNotes: true } });
  if (!pkg) throw NOT_FOUND();
  try {
    await requirePackageAccess({ user, auditId: pkg.auditId, need: "issue" });
  } catch (e) {
    // Outsiders learn nothing, not even that the audit exists.
    if (e instanceof AppError && e.code === "NOT_FOUND") throw NOT_FOUND();
    throw e;
  }
  // A READY package never changes again (trigger), so the check needs no lock.
  if (pkg.state !== "READY") {
    throw new AppError("CONFLICT", "Only an issued package can be shared: wait until it is ready.", { details: { state: pkg.state } });
  }

  const { token, tokenHash } = generateToken();
  const expiresAt = new Date(now.getTime() + expiresInDays * DAY_MS);
  const row = await db.$transaction(async (tx) => {
    const created = await tx.packageShare.create({
      data: { packageId, tokenHash, label, expiresAt, createdById: user.id, createdAt: now },
      select: { id: true, createdAt: true },
    });
    // Never the token (nor its hash): the trail is readable by every member.
    await recordAuditEvent(tx, {
      auditId: pkg.auditId,
      actorId: user.id,
      action: "package.shared",
      subject: packageId,
      data: { packageId, shareId: created.id, label, version: pkg.version, includesInternalNotes: pkg.includeInternalNotes, expiresAt: expiresAt.toISOString() },
    });
    return created;
  });

  return {
    share: {
      id: row.id,
      packageId,
      label,
      state: "active",
      createdAt: row.createdAt.toISOString(),
      createdBy: user.name ?? user.email,
      expiresAt: expiresAt.toISOString(),
      revokedAt: null,
      downloads: 0,
      lastDownloadAt: null,
    },
    auditId: pkg.auditId,
    token,
    url: packageShareUrl(token),
  };
}
