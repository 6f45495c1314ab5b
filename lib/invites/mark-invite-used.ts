import "server-only";
import { getDb } from "@/lib/db";

const ONCE_A_MINUTE_MS = 60_000;

/**
 * Records that a link was used, at most once a minute. The invite was just read, so a recent
 * mark costs nothing (an autosaving respondent adds no query); otherwise one conditional UPDATE
 * by primary key, which matches no row when another request marked it meanwhile.
 */
export async function markInviteUsed(invite: { id: string; lastUsedAt: Date | null }, now = new Date()): Promise<void> {
  const cutoff = new Date(now.getTime() - ONCE_A_MINUTE_MS);
  if (invite.lastUsedAt && invite.lastUsedAt >= cutoff) return;
  await getDb().invite.updateMany({
    where: { id: invite.id, OR: [{ lastUsedAt: null }, { lastUsedAt: { lt: cutoff } }] },
    data: { lastUsedAt: now },
  });
}
