import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";

/** The newest events of an audit, for its members. */
export async function listAuditEvents({ user, auditId, limit = 20 }: { user: TCurrentUser; auditId: string; limit?: number }) {
  await requireAuditAccess({ user, auditId, need: "view" });
  const rows = await getDb().auditEvent.findMany({
    where: { auditId },
    orderBy: { id: "desc" },
    take: Math.min(Math.max(limit, 1), 200),
    select: { id: true, action: true, subject: true, data: true, createdAt: true, actor: { select: { name: true, email: true } }, invite: { select: { name: true } } },
  });
  return rows.map(({ invite, ...r }) => ({
    ...r,
    id: r.id.toString(),
    actor: r.actor ? (r.actor.name ?? r.actor.email) : invite ? `${invite.name} (provider)` : null,
  }));
}
