import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, auditSignedOffError, invalidInput } from "@/lib/errors";
import { lockAudit } from "./lock-audit";
import { ZRecordVerdictInput, type TRecordVerdictInput } from "./schemas";
import type { TVerdictConflict, TVerdictView } from "./types";
import { selectVerdict, toVerdictView } from "./views";

/**
 * A reviewer records (or revises) the verdict on the provider's suitability, with its rationale
 * and — only for "suitable with conditions", and then at least one — the conditions.
 * Revision-checked like ratings (baseRevision 0: the first verdict). Refused once signed off.
 */
export async function recordVerdict({ actor, input }: { actor: TCurrentUser; input: TRecordVerdictInput }): Promise<TVerdictView> {
  const parsed = ZRecordVerdictInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, verdict, rationale, conditions, baseRevision } = parsed.data;
  await requireAuditAccess({ user: actor, auditId, need: "review" });

  return getDb().$transaction(async (tx) => {
    const locked = await lockAudit(tx, auditId);
    if (locked.status === "SIGNED_OFF") throw auditSignedOffError("its verdict is");
    const current = await tx.auditVerdict.findUnique({ where: { auditId }, select: selectVerdict });
    if ((current?.revision ?? 0) !== baseRevision) {
      const details: TVerdictConflict = { current: current ? toVerdictView(current) : null };
      throw new AppError("CONFLICT", "Someone else recorded a verdict after you opened this page.", { details });
    }
    const data = { verdict, rationale, conditions, decidedById: actor.id, decidedAt: new Date() };
    const saved = current
      ? await tx.auditVerdict.update({ where: { auditId }, data: { ...data, revision: current.revision + 1 }, select: selectVerdict })
      : await tx.auditVerdict.create({ data: { ...data, auditId, revision: 1 }, select: selectVerdict });
    await tx.audit.update({ where: { id: auditId }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, { auditId, actorId: actor.id, action: "verdict.recorded", data: { verdict, rationale, conditions, revision: saved.revision } });
    return toVerdictView(saved);
  });
}
