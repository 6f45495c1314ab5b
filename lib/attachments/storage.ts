import "server-only";
import { getDb } from "@/lib/db";
import { createPostgresChunkStore, type TAttachmentStore, type TChunkQuery } from "./chunk-store";

export type { TAttachmentStore, TStoredBlob } from "./chunk-store";

/** Chunk reads through the app's Prisma client (its pool), as every other read of the app. */
export const prismaChunkQuery: TChunkQuery = (text, values) => getDb().$queryRawUnsafe(text, ...values);

export const postgresAttachmentStore = createPostgresChunkStore({ table: "attachment_chunk", owner: "attachment_id", query: prismaChunkQuery });

/** The store in use. One implementation today; an S3 one would be chosen here from lib/env. */
export function getAttachmentStore(): TAttachmentStore {
  return postgresAttachmentStore;
}
