import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";

export interface TAnswerRevision {
  revision: number;
  value: TAnswerValue;
  /** Absent when a provider saved (they never change the note). */
  note?: string | null;
  by: string;
  at: string;
}

/**
 * Every saved revision of one answer, newest first, for the audit's members. The history is the
 * audit trail itself: each save writes an "answer.saved" event with its revision and value, in
 * the same transaction as the answer (save-answer.ts), and events are never changed.
 */
export async function listAnswerHistory({ user, auditId, questionId }: { user: TCurrentUser; auditId: string; questionId: string }): Promise<TAnswerRevision[]> {
  await requireAuditAccess({ user, auditId, need: "view" });
  const rows = await getDb().auditEvent.findMany({
    where: { auditId, action: "answer.saved", subject: questionId.slice(0, 120) },
    orderBy: { id: "desc" },
    take: 200,
    select: { data: true, createdAt: true, actor: { select: { name: true, email: true } }, invite: { select: { name: true } } },
  });
  return rows.map((r) => {
    const data = r.data as { revision: number; value: TAnswerValue; note?: string | null };
    return {
      revision: data.revision,
      value: data.value,
      ...("note" in data ? { note: data.note } : {}),
      by: r.actor ? (r.actor.name ?? r.actor.email ?? "someone") : r.invite ? `${r.invite.name} (provider)` : "someone",
      at: r.createdAt.toISOString(),
    };
  });
}
