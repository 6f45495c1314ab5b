import "server-only";
import type { Hash } from "node:crypto";
import { open } from "node:fs/promises";

const BUFFER_BYTES = 1024 * 1024;

/**
 * Feeds bytes [start, start + length) of a file into `hash`, read in 1 MiB pieces into one
 * buffer, reused: memory stays flat whatever the size, and reading a 200 MB package allocates
 * 1 MiB, not 200 buffers for the garbage collector to catch up with. Throws if the file ends early.
 */
export async function hashFileRange(hash: Hash, path: string, start: number, length: number): Promise<void> {
  if (length === 0) return;
  const buffer = Buffer.allocUnsafe(Math.min(BUFFER_BYTES, length));
  const fh = await open(path, "r");
  try {
    let seen = 0;
    while (seen < length) {
      const { bytesRead } = await fh.read(buffer, 0, Math.min(buffer.length, length - seen), start + seen);
      if (bytesRead === 0) throw new Error(`${path} ended after ${start + seen} bytes; expected at least ${start + length}`);
      hash.update(buffer.subarray(0, bytesRead));
      seen += bytesRead;
    }
  } finally {
    await fh.close();
  }
}
