import "server-only";
import { PgBoss } from "pg-boss";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

// Background jobs run on pg-boss, in the app's own Postgres (schema "pgboss"): no other service
// to run. One boss per process, kept on globalThis (Next's dev reloads would start another).
// Every `next start` process works the queues; pg-boss hands each job to one of them.

export const QUEUES = {
  /** Render, sign and store one evidence package: { packageId }. */
  evidencePackage: "evidence-package",
} as const;

const globalForBoss = globalThis as unknown as { assayBoss?: Promise<PgBoss> };

/** The started boss of this process, with every queue created (send() to a missing queue does nothing). */
export function getBoss(): Promise<PgBoss> {
  globalForBoss.assayBoss ??= (async () => {
    const connectionString = getEnv().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, which provides a database");
    const boss = new PgBoss({ connectionString, max: 3, application_name: "assay-jobs" });
    // Connection trouble is reported here; without a listener an EventEmitter error would crash the process.
    boss.on("error", (e: Error) => log.warn("jobs.error", { error: e.message }));
    await boss.start();
    for (const name of Object.values(QUEUES)) await boss.createQueue(name);
    return boss;
  })().catch((e: unknown) => {
    globalForBoss.assayBoss = undefined; // try again on the next call
    throw e;
  });
  return globalForBoss.assayBoss;
}

/** Stops this process's boss (tests, scripts); waits for running jobs. */
export async function stopBoss(): Promise<void> {
  const boss = globalForBoss.assayBoss;
  globalForBoss.assayBoss = undefined;
  if (boss) await (await boss).stop({ graceful: true, timeout: 30_000 });
}
