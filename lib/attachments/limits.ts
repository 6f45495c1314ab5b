// Upload limits. The two configurable ones are parsed in lib/env.ts (ATTACHMENT_MAX_BYTES,
// ATTACHMENT_AUDIT_MAX_BYTES), with the defaults below; the rest are fixed here.

export const MiB = 1024 * 1024;

export const DEFAULT_ATTACHMENT_MAX_BYTES = 25 * MiB;
export const DEFAULT_ATTACHMENT_AUDIT_MAX_BYTES = 500 * MiB;

/**
 * The multipart envelope around the file: boundaries, part headers (with the file name), the
 * few small fields. A request whose Content-Length exceeds the file limit by more than this
 * cannot carry an acceptable file and is refused before a byte of it is read.
 */
export const MULTIPART_OVERHEAD_BYTES = 64 * 1024;

/** Bytes read from the start of a file to sniff its type (file-type needs ≥ 4100; ZIP-based formats profit from more). */
export const SNIFF_BYTES = 64 * 1024;

/** Storage chunk size: one bytea row each (docs/decisions/007-attachment-storage.md). */
export const CHUNK_BYTES = MiB;

/** An upload that sends nothing for this long is abandoned (and its transaction rolled back). */
export const UPLOAD_STALL_MS = 60_000;

/** Concurrent uploads per server process: each holds one database connection for its duration. */
export const UPLOAD_CONCURRENCY = 4;

/** Multipart limits: one file, the few known fields, nothing else (bounded work for hostile forms). */
export const MULTIPART_LIMITS = {
  files: 1,
  fields: 8,
  parts: 10,
  fieldNameSize: 64,
  fieldSize: 1024,
  headerPairs: 8,
} as const;

export interface TAttachmentLimits {
  /** Largest single file, in bytes. */
  maxFileBytes: number;
  /** Largest total of one audit's attachments, in bytes. */
  maxAuditBytes: number;
}
