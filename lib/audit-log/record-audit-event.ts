import "server-only";
import type { DbTx } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";

export interface TAuditEventInput {
  auditId: string | null;
  /** The signed-in user who acted, or null with `inviteId` for a provider acting through a link. */
  actorId: string | null;
  inviteId?: string | null;
  /** Dotted verb: "audit.created", "answer.saved", "member.added". */
  action: string;
  subject?: string;
  data?: Prisma.InputJsonValue;
}

/**
 * Records who did what and when. Call it with the transaction client of the change it
 * records, so that the change and its record commit (or roll back) together.
 */
export async function recordAuditEvent(tx: DbTx, event: TAuditEventInput): Promise<void> {
  await tx.auditEvent.create({
    data: {
      auditId: event.auditId,
      actorId: event.actorId,
      inviteId: event.inviteId ?? null,
      action: event.action,
      subject: event.subject,
      data: event.data ?? {},
    },
  });
}
