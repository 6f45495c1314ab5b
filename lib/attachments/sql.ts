import "server-only";
import pg from "pg";
import type { TAuditEventInput } from "@/lib/audit-log/record-audit-event";
import { getEnv } from "@/lib/env";
import { AppError, auditSignedOffError } from "@/lib/errors";
import { inviteState } from "@/lib/invites/invite-state";
import { inviteRefusal } from "@/lib/invites/require-invite";
import { log } from "@/lib/log";
import { UPLOAD_CONCURRENCY } from "./limits";

// Attachment writes run on their own small pg pool, in plain SQL, not through Prisma:
// - an upload streams up to hundreds of 1 MiB parameters through one transaction. Measured
//   (docs/decisions/007-attachment-storage.md): Prisma's interactive transaction peaked ~290 MB
//   above idle for 100 MB, node-postgres ~70 MB, and was slower;
// - an upload holds its connection for as long as the client takes to send the file; a pool of
//   its own (UPLOAD_CONCURRENCY) means slow uploads can never starve the app's Prisma pool, and
//   it is the concurrency limit on uploads at the same time.

/** What storage and the operations need of a connection inside a transaction. */
export interface TSqlTx {
  query<R extends pg.QueryResultRow = pg.QueryResultRow>(text: string, values?: unknown[]): Promise<pg.QueryResult<R>>;
}

const globalForPool = globalThis as unknown as { assayAttachmentPool?: pg.Pool };

function pool(): pg.Pool {
  if (!globalForPool.assayAttachmentPool) {
    const connectionString = getEnv().DATABASE_URL;
    if (!connectionString) throw new Error("DATABASE_URL is not set: start Assay with `npm start`, which provides a database");
    const created = new pg.Pool({ connectionString, max: UPLOAD_CONCURRENCY, connectionTimeoutMillis: 10_000, idleTimeoutMillis: 30_000, application_name: "assay-attachments" });
    // An idle client that loses its server emits here; without a listener the process would crash.
    created.on("error", (e) => log.warn("attachments.pool.error", { error: e.message }));
    globalForPool.assayAttachmentPool = created;
  }
  return globalForPool.assayAttachmentPool;
}

/**
 * Runs `body` in a transaction on a connection of the attachment pool: COMMIT when it returns,
 * ROLLBACK when it throws. Postgres ends the session itself if the transaction sits idle for two
 * minutes (a stalled client, a bug): no connection can stay "idle in transaction" for ever.
 */
export async function withAttachmentTransaction<T>(body: (tx: TSqlTx) => Promise<T>): Promise<T> {
  let client: pg.PoolClient;
  try {
    client = await pool().connect();
  } catch (e) {
    if (e instanceof Error && /timeout exceeded when trying to connect/i.test(e.message)) {
      throw new AppError("UNAVAILABLE", "Too many uploads are running right now. Try again in a minute.", { details: { reason: "busy", retryAfterSeconds: 30 } });
    }
    throw e;
  }
  // A checked-out client that loses its server emits "error" too; the failing query reports it.
  const onError = (e: Error) => log.warn("attachments.connection.error", { error: e.message });
  client.on("error", onError);
  let broken: Error | undefined;
  try {
    await client.query("BEGIN");
    await client.query("SET LOCAL idle_in_transaction_session_timeout = '120s'");
    await client.query("SET LOCAL statement_timeout = '60s'");
    const result = await body(client);
    await client.query("COMMIT");
    return result;
  } catch (e) {
    try {
      await client.query("ROLLBACK");
    } catch (rollbackError) {
      broken = rollbackError instanceof Error ? rollbackError : new Error(String(rollbackError));
    }
    throw e;
  } finally {
    client.off("error", onError);
    // A connection whose rollback failed is not returned to the pool.
    client.release(broken);
  }
}

/**
 * recordAuditEvent (lib/audit-log/record-audit-event.ts) for a transaction of this pool: the
 * same row, the same input type, so the two cannot drift apart.
 */
export async function recordAuditEventSql(tx: TSqlTx, event: TAuditEventInput): Promise<void> {
  await tx.query(`INSERT INTO audit_event (audit_id, actor_id, invite_id, action, subject, data) VALUES ($1, $2, $3, $4, $5, $6::jsonb)`, [
    event.auditId,
    event.actorId,
    event.inviteId ?? null,
    event.action,
    event.subject ?? null,
    JSON.stringify(event.data ?? {}),
  ]);
}

/**
 * The invite is still active, checked under its row lock (FOR SHARE) in the caller's
 * transaction: a revoke or submit that committed first is seen; one that comes later waits for
 * this commit. Otherwise the same refusal as requireInvite's.
 */
export async function requireInviteStillActive(tx: TSqlTx, inviteId: string): Promise<void> {
  const { rows } = await tx.query<{ revoked_at: Date | null; expires_at: Date; submitted_at: Date | null }>(
    `SELECT revoked_at, expires_at, submitted_at FROM invite WHERE id = $1 FOR SHARE`,
    [inviteId],
  );
  const row = rows[0];
  if (!row) throw new AppError("FORBIDDEN", "This link was withdrawn and no longer works.", { details: { state: "revoked" } });
  const refusal = inviteRefusal({ state: inviteState({ revokedAt: row.revoked_at, expiresAt: row.expires_at, submittedAt: row.submitted_at }), expiresAt: row.expires_at }, "answer");
  if (refusal) throw refusal;
}

/**
 * Marks the audit changed, only while it is open (not signed off), under its row lock: a
 * sign-off that committed first is seen and refused here (nothing of the upload or removal is
 * kept); one that comes later waits for this commit. The BEFORE trigger on `attachment` cannot
 * order the two on its own: it reads the audit's status without a lock, when the row is inserted,
 * possibly long before the upload's last byte.
 */
export async function touchOpenAudit(tx: TSqlTx, auditId: string): Promise<void> {
  const { rowCount } = await tx.query(`UPDATE audit SET updated_at = now() WHERE id = $1 AND status = 'IN_PROGRESS'`, [auditId]);
  if (rowCount === 0) throw auditSignedOffError("its files are");
}

/** Closes the pool (tests, scripts). */
export async function closeAttachmentPool(): Promise<void> {
  const p = globalForPool.assayAttachmentPool;
  globalForPool.assayAttachmentPool = undefined;
  await p?.end();
}

/** Connections of the attachment pool: after every request, all of them are back (none held in a transaction). */
export function attachmentPoolStats(): { total: number; idle: number; waiting: number } {
  const p = globalForPool.assayAttachmentPool;
  return { total: p?.totalCount ?? 0, idle: p?.idleCount ?? 0, waiting: p?.waitingCount ?? 0 };
}
