import pg from "pg";
import { expect } from "vitest";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";

/** The AppError a domain operation failed with; fails the test if it succeeded or threw something else. */
export async function failure(p: Promise<unknown>): Promise<AppError> {
  const e = await p.then(
    () => null,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(AppError);
  return e as AppError;
}

/** An audit's trail, oldest first. */
export const events = (auditId: string) => getDb().auditEvent.findMany({ where: { auditId }, orderBy: { id: "asc" } });

/**
 * Runs `write` while another transaction holds the audit row's lock, as a sign-off's does, and
 * signs the audit off in that transaction once `write` queues behind the lock: `write` has then
 * passed every check it makes before its own transaction, and only a check under the lock can
 * still see that the audit is signed off. The sign-off is written as SQL (status, time, signer,
 * count: what signOffAudit commits), because signOffAudit cannot be held open half-way.
 * Returns what `write` settled with.
 */
export async function signOffWhileWaiting<T>(auditId: string, signedOffById: string, write: () => Promise<T>): Promise<PromiseSettledResult<T>> {
  const holder = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await holder.connect();
  try {
    await holder.query("BEGIN");
    await holder.query("SELECT 1 FROM audit WHERE id = $1 FOR NO KEY UPDATE", [auditId]);
    let settled: PromiseSettledResult<T> | undefined;
    const done = write().then(
      (value) => (settled = { status: "fulfilled", value }),
      (reason: unknown) => (settled = { status: "rejected", reason }),
    );
    // pg_locks is live (pg_stat_activity would be a snapshot taken once in this transaction).
    for (let waited = 0; ; waited += 20) {
      const { rowCount } = await holder.query("SELECT 1 FROM pg_locks WHERE NOT granted AND pg_backend_pid() = ANY(pg_blocking_pids(pid))");
      if (rowCount) break;
      if (settled) throw new Error(`the write settled without waiting for the audit's lock: ${JSON.stringify(settled)}`);
      if (waited > 10_000) throw new Error("the write never waited for the audit's lock");
      await new Promise((r) => setTimeout(r, 20));
    }
    await holder.query(
      `UPDATE audit SET status = 'SIGNED_OFF', signed_off_at = now(), signed_off_by_id = $2, sign_off_count = sign_off_count + 1 WHERE id = $1`,
      [auditId, signedOffById],
    );
    await holder.query("COMMIT");
    await done;
    return settled!;
  } finally {
    await holder.end();
  }
}
