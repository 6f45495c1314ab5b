import type { TPackageShareState } from "./share-state";

/** What the audit team sees of one share link (never its token: Assay does not have it). */
export interface TPackageShareView {
  id: string;
  packageId: string;
  /** Who the link is for, in the sharer's words. */
  label: string;
  state: TPackageShareState;
  createdAt: string;
  /** Who made the link (name, else e-mail). */
  createdBy: string | null;
  expiresAt: string;
  revokedAt: string | null;
  /** PDF downloads through this link, counted from the audit trail ("package.downloaded" with its shareId). */
  downloads: number;
  lastDownloadAt: string | null;
}
