import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";

export { Prisma } from "@/lib/generated/prisma/client";
export type Db = PrismaClient;
/** A Prisma client or the transaction client of `$transaction(async (tx) => …)`. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

// One client (and pool) per process, kept on globalThis so that Next's dev reloads do not open
// a new pool on every edit. A pool of ~10 beat 50 on every measure (STACK_NOTES).
const globalForDb = globalThis as unknown as { assayDb?: PrismaClient };

export function createDb(connectionString: string): PrismaClient {
  return new PrismaClient({ adapter: new PrismaPg({ connectionString, max: 10 }) });
}

export function getDb(): PrismaClient {
  if (!globalForDb.assayDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, which provides a database");
    globalForDb.assayDb = createDb(url);
  }
  return globalForDb.assayDb;
}
