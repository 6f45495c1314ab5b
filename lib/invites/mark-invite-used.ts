import "server-only";
import { getDb } from "@/lib/db";

const ONCE_A_MINUTE_MS = 60_000;

/**
 * Records that a link was used, at most once a minute: one conditional UPDATE by primary key
 * that matches no row while the last mark is recent, so an autosaving respondent costs no
 * extra writes.
 */
export async function markInviteUsed(inviteId: string, now = new Date()): Promise<void> {
  await getDb().invite.updateMany({
    where: { id: inviteId, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: new Date(now.getTime() - ONCE_A_MINUTE_MS) } }] },
    data: { lastUsedAt: now },
  });
}
