import type { PackageState, Prisma } from "@/lib/generated/prisma/client";

/** What the app shows of one evidence package (its job while it runs, the file once ready). */
export interface TPackageView {
  id: string;
  auditId: string;
  /** 1, 2, … per audit; null until the job has started. */
  version: number | null;
  state: PackageState;
  /** queued, rendering, attachments, signing, storing, done. */
  phase: string;
  progress: { done: number; total: number };
  /** Why it failed, for the person who asked. */
  error: string | null;
  includeInternalNotes: boolean;
  requestedAt: string;
  requestedBy: string | null;
  issuedAt: string | null;
  sha256: string | null;
  size: number | null;
  signer: { subject: string; selfSigned: boolean; development: boolean } | null;
  timestamped: boolean;
}

export const selectPackageView = {
  id: true,
  auditId: true,
  version: true,
  state: true,
  phase: true,
  progressDone: true,
  progressTotal: true,
  error: true,
  includeInternalNotes: true,
  requestedAt: true,
  requestedBy: { select: { name: true, email: true } },
  issuedAt: true,
  sha256: true,
  size: true,
  signer: true,
  timestamped: true,
} as const satisfies Prisma.EvidencePackageSelect;

type TPackageRow = Prisma.EvidencePackageGetPayload<{ select: typeof selectPackageView }>;

export function toPackageView(row: TPackageRow): TPackageView {
  const signer = row.signer as { subject?: string; selfSigned?: boolean; development?: boolean } | null;
  return {
    id: row.id,
    auditId: row.auditId,
    version: row.version,
    state: row.state,
    phase: row.phase,
    progress: { done: row.progressDone, total: row.progressTotal },
    error: row.error,
    includeInternalNotes: row.includeInternalNotes,
    requestedAt: row.requestedAt.toISOString(),
    requestedBy: row.requestedBy.name ?? row.requestedBy.email,
    issuedAt: row.issuedAt?.toISOString() ?? null,
    sha256: row.sha256,
    size: row.size === null ? null : Number(row.size),
    signer: signer ? { subject: signer.subject ?? "", selfSigned: signer.selfSigned === true, development: signer.development === true } : null,
    timestamped: row.timestamped,
  };
}
