import "server-only";
import type { DbTx } from "@/lib/db";
import { AppError } from "@/lib/errors";

export interface TLockedAudit {
  status: "IN_PROGRESS" | "SIGNED_OFF";
  signOffCount: number;
  providerName: string;
}

/**
 * Locks the audit's row in the caller's transaction and returns what it is now. Every review
 * write (rating, verdict, sign-off, reopen) starts here, and every answer save takes the same
 * lock (lib/answers/save-answer.ts), so they are ordered one after the other per audit: nothing
 * is written into an audit that was signed off while the write was on its way.
 *
 * FOR NO KEY UPDATE, like the answer save: it does not wait for transactions that merely hold
 * KEY SHARE on the audit because they insert rows referencing it — an upload streaming a large
 * file for minutes must not hold up a sign-off (whose transaction would time out). An upload
 * that is in flight when the audit is signed off is refused when it commits instead: its
 * attachment writes hit the signed-off trigger (AY002), and its last step updates the audit
 * only while it is open, under this same lock (lib/attachments/sql.ts, touchOpenAudit).
 */
export async function lockAudit(tx: DbTx, auditId: string): Promise<TLockedAudit> {
  const [row] = await tx.$queryRaw<{ status: TLockedAudit["status"]; sign_off_count: number; provider_name: string }[]>`
    SELECT status::text AS status, sign_off_count, provider_name FROM audit WHERE id = ${auditId}::uuid FOR NO KEY UPDATE`;
  if (!row) throw new AppError("NOT_FOUND", "This audit does not exist or you have no access to it.");
  return { status: row.status, signOffCount: row.sign_off_count, providerName: row.provider_name };
}
