import "server-only";
import type { DbTx } from "@/lib/db";

/**
 * A run's lease on its package: a RUNNING row whose heartbeat (heartbeat_at, on the database's
 * clock) is older than this has lost its worker — it died, or hangs — and another delivery of
 * the job may take it over, or a new request queue it again. Until then a second delivery
 * (pg-boss retries a job whose expiry passed while the first run was still rendering, or another
 * server process gets it) leaves the row alone, so one package is never rendered and signed
 * twice at once.
 */
export const PACKAGE_LEASE_STALE_SECONDS = 120;

/** SQL: true when the row is RUNNING under a live lease. No heartbeat at all counts as stale. */
export const leasedSql = () =>
  `COALESCE(state = 'RUNNING' AND heartbeat_at > now() - make_interval(secs => ${PACKAGE_LEASE_STALE_SECONDS}), false)`;

/** A RUNNING package whose worker is gone: a new request may queue it again. */
export async function runningLeaseIsStale(tx: Pick<DbTx, "$queryRawUnsafe">, packageId: string): Promise<boolean> {
  const [row] = await tx.$queryRawUnsafe<{ stale: boolean }[]>(
    `SELECT state = 'RUNNING' AND NOT ${leasedSql()} AS stale FROM evidence_package WHERE id = $1::uuid`,
    packageId,
  );
  return row?.stale === true;
}
