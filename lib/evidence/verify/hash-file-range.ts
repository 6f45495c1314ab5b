import "server-only";
import type { Hash } from "node:crypto";
import { createReadStream } from "node:fs";

/**
 * Feeds bytes [start, start + length) of a file into `hash`, streamed in 1 MiB chunks (memory
 * stays flat whatever the size). Throws if the file ends early.
 */
export async function hashFileRange(hash: Hash, path: string, start: number, length: number): Promise<void> {
  if (length === 0) return;
  let seen = 0;
  for await (const chunk of createReadStream(path, { start, end: start + length - 1, highWaterMark: 1024 * 1024 })) {
    hash.update(chunk as Buffer);
    seen += (chunk as Buffer).length;
  }
  if (seen !== length) throw new Error(`${path} ended after ${start + seen} bytes; expected at least ${start + length}`);
}
