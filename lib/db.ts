import "server-only";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "@/lib/generated/prisma/client";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

export { Prisma } from "@/lib/generated/prisma/client";
export type Db = PrismaClient;
/** A Prisma client or the transaction client of `$transaction(async (tx) => …)`. */
export type DbTx = Omit<PrismaClient, "$connect" | "$disconnect" | "$on" | "$transaction" | "$extends">;

// One client (and pool) per process, kept on globalThis so that Next's dev reloads do not open
// a new pool on every edit. A pool of ~10 beat 50 on every measure (STACK_NOTES).
const globalForDb = globalThis as unknown as { assayDb?: PrismaClient; assayPool?: pg.Pool };

export function getDb(): PrismaClient {
  if (!globalForDb.assayDb) {
    const url = getEnv().DATABASE_URL;
    if (!url) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, which provides a database");
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle connection whose server went away (a restart, an outage) errors here; without a
    // listener the process would crash. The next query reconnects.
    pool.on("error", (e) => log.warn("db.pool.error", { error: e.message }));
    globalForDb.assayPool = pool;
    globalForDb.assayDb = new PrismaClient({ adapter: new PrismaPg(globalForDb.assayPool) });
  }
  return globalForDb.assayDb;
}

/**
 * The pool under getDb()'s Prisma client, for the few statements on the hottest path (every
 * autosave) that run as named prepared statements: Postgres plans them once per connection
 * instead of on every call (docs/decisions/008).
 */
export function getPool(): pg.Pool {
  getDb();
  return globalForDb.assayPool!;
}
