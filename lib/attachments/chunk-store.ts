import "server-only";
import { createHash } from "node:crypto";
import { CHUNK_BYTES } from "./limits";
import type { TSqlTx } from "./sql";

// Where attachment bytes live, behind one small interface so that an object store (S3 and
// friends) can replace Postgres later without touching the upload and download code.
// docs/decisions/007-attachment-storage.md has the contract an S3 store must meet.

export interface TStoredBlob {
  /** Where the bytes are, for stores that name them differently from the attachment (S3: the object key). Postgres: undefined. */
  key?: string;
  size: number;
  /** SHA-256 of the bytes, lower-case hex, computed as they streamed past. */
  sha256: string;
}

export interface TAttachmentStore {
  /**
   * Stores the bytes of attachment `attachmentId` as they arrive, inside the caller's open
   * transaction `tx` (in which the attachment row already exists). If `source` throws, or the
   * transaction rolls back later, nothing of the bytes may remain. Never holds the whole file.
   */
  put(tx: TSqlTx, attachmentId: string, source: AsyncIterable<Uint8Array>): Promise<TStoredBlob>;
  /**
   * The bytes, as a pull-based stream: one chunk (or one slice of it, see `readBytes`) is read
   * per pull and at most one is buffered ahead (highWaterMark 1), however slow the client. Errors the stream if fewer or more than
   * `size` bytes are found (a concurrent delete, corruption).
   */
  get(attachmentId: string, size: number): ReadableStream<Uint8Array>;
  /** Deletes the bytes inside the caller's transaction (which also deletes the row). */
  delete(tx: TSqlTx, attachmentId: string): Promise<void>;
}

/**
 * Postgres: chunk rows of CHUNK_BYTES (the last one shorter), numbered from 0, written in the
 * caller's transaction — an aborted upload rolls back to nothing, with no orphaned bytes to
 * clean up. `data` is stored EXTERNAL (no TOAST compression: evidence is mostly compressed
 * already). One implementation for every kind of stored file: attachments (`attachment_chunk`)
 * and issued evidence packages (`evidence_package_chunk`).
 */
export function createPostgresChunkStore({
  table,
  owner,
  query,
  readBytes = CHUNK_BYTES,
}: {
  table: TChunkTable;
  owner: "attachment_id" | "package_id";
  query: TChunkQuery;
  /**
   * How much `get` reads per query (a divisor of CHUNK_BYTES; EXTERNAL storage lets Postgres
   * read a slice without the rest of the row). One chunk by default. The package worker reads
   * 64 KiB slices: for a 1 MiB row, pg's parser allocates 2–4 MB of growing buffers, garbage
   * that V8 only counts as "external" and collects after some 64 MB of it; a 64 KiB row's
   * garbage is small enough for the young generation and is collected straight away.
   */
  readBytes?: number;
}): TAttachmentStore {
  if (readBytes <= 0 || CHUNK_BYTES % readBytes !== 0) throw new Error(`readBytes must divide ${CHUNK_BYTES}`);
  return {
    async put(tx, attachmentId, source) {
      const hash = createHash("sha256");
      // Two buffers: one chunk is written to Postgres while the next one fills from the network.
      // Never more than one INSERT in flight, never more than 2 MiB held.
      const buffers = [Buffer.allocUnsafe(CHUNK_BYTES), Buffer.allocUnsafe(CHUNK_BYTES)];
      let current = 0;
      let filled = 0;
      let seq = 0;
      let size = 0;
      let inFlight: Promise<unknown> = Promise.resolve();
      const flush = async () => {
        await inFlight; // the other buffer is free again once its INSERT is done
        inFlight = tx.query(`INSERT INTO ${table} (${owner}, seq, data) VALUES ($1, $2, $3)`, [attachmentId, seq++, buffers[current]!.subarray(0, filled)]);
        inFlight.catch(() => {}); // awaited below or in `finally`; never unhandled
        current = 1 - current;
        filled = 0;
      };
      try {
        for await (const piece of source) {
          hash.update(piece);
          size += piece.byteLength;
          let offset = 0;
          while (offset < piece.byteLength) {
            const n = Math.min(CHUNK_BYTES - filled, piece.byteLength - offset);
            buffers[current]!.set(piece.subarray(offset, offset + n), filled);
            filled += n;
            offset += n;
            if (filled === CHUNK_BYTES) await flush();
          }
        }
        if (filled > 0) await flush();
        await inFlight;
      } finally {
        // On failure too: the caller's ROLLBACK must not race an INSERT still being sent.
        await inFlight.catch(() => {});
      }
      return { size, sha256: hash.digest("hex") };
    },

    get(attachmentId, size) {
      let seq = 0;
      let offset = 0; // within chunk `seq`
      let sent = 0;
      return new ReadableStream<Uint8Array>(
        {
          async pull(controller) {
            // Until something is sent: a slice can be empty (a chunk shorter than it should be,
            // which the reader's size or hash check then reports).
            for (;;) {
              if (sent === size) {
                controller.close();
                return;
              }
              // base64 rather than bytea's hex output: half the bytes to parse (STACK_NOTES).
              const rows = await query<{ data: string }>(
                `SELECT encode(substring(data FROM $3 FOR $4), 'base64') AS data FROM ${table} WHERE ${owner} = $1::uuid AND seq = $2`,
                [attachmentId, seq, offset + 1, readBytes],
              );
              const row = rows[0];
              if (!row) {
                controller.error(new Error(`${table} ${attachmentId}: chunk ${seq} is missing (${sent} of ${size} bytes sent)`));
                return;
              }
              const bytes = Buffer.from(row.data, "base64");
              sent += bytes.byteLength;
              offset += bytes.byteLength;
              // Every chunk but the last is CHUNK_BYTES long.
              if (offset >= CHUNK_BYTES || bytes.byteLength < readBytes) {
                seq++;
                offset = 0;
              }
              if (sent > size) {
                controller.error(new Error(`${table} ${attachmentId}: more bytes stored than its size ${size}`));
                return;
              }
              if (bytes.byteLength === 0) continue;
              controller.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength));
              if (sent === size) controller.close();
              return;
            }
          },
        },
        { highWaterMark: 1 },
      );
    },

    async delete(tx, attachmentId) {
      await tx.query(`DELETE FROM ${table} WHERE ${owner} = $1`, [attachmentId]);
    },
  };
}

/**
 * How the store reads a chunk: the app's Prisma client in the server, a plain pg pool in the
 * package worker (which does not load Prisma). Writes and deletes take the caller's transaction.
 */
export type TChunkQuery = <R>(text: string, values: unknown[]) => Promise<R[]>;

/** Table names are constants, never input: the only identifiers interpolated into the SQL above. */
type TChunkTable = "attachment_chunk" | "evidence_package_chunk";
