import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { requireAuditAccess, type TAuditNeed } from "@/lib/audits/require-audit-access";
import { getDb, type DbTx } from "@/lib/db";
import { AppError, auditSignedOffError, isAppError } from "@/lib/errors";
import type { ClarificationStatus } from "@/lib/generated/prisma/client";
import type { TInviteContext, TInviteState } from "@/lib/invites/resolve-invite";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { lockAudit } from "@/lib/review/lock-audit";
import { ZClarificationId } from "./schemas";

export const CLARIFICATION_NOT_FOUND = () => new AppError("NOT_FOUND", "This clarification does not exist or you have no access to it.");

/**
 * The first step of every clarification write's transaction: locks the audit's row (lockAudit,
 * as sign-off does) and refuses once the audit is signed off. Its threads are part of the
 * record the evidence package issues, so they stay as signed off until an admin reopens the
 * audit; the database's triggers back this up (SQLSTATE AY002).
 */
export async function lockOpenAuditForClarification(tx: DbTx, auditId: string): Promise<void> {
  if ((await lockAudit(tx, auditId)).status === "SIGNED_OFF") throw auditSignedOffError("its clarifications are");
}

/**
 * The invite states in which a provider may read their clarifications, and reply to them. A
 * provider who submitted still answers clarifications: that is when most of them are asked.
 */
export const PROVIDER_READ_STATES: readonly TInviteState[] = ["active", "submitted"];
export const PROVIDER_REPLY_STATES: readonly TInviteState[] = ["active", "submitted"];

export interface TClarificationRef {
  id: string;
  auditId: string;
  questionId: string;
  sectionId: string;
  status: ClarificationStatus;
}

/**
 * The one check for anything on one clarification thread.
 * - A member needs `need` on the thread's audit (view: any member; edit: an officer).
 * - A provider needs an invite in `inviteStates` for the thread's audit, delegated the section
 *   of the thread's question.
 * Anyone else gets NOT_FOUND, the same as for a thread that does not exist.
 */
export async function requireClarification({
  actor,
  clarificationId,
  need,
  inviteStates = PROVIDER_REPLY_STATES,
}: {
  actor: TActor;
  clarificationId: string;
  need: TAuditNeed;
  inviteStates?: readonly TInviteState[];
}): Promise<TClarificationRef> {
  if (!ZClarificationId.safeParse(clarificationId).success) throw CLARIFICATION_NOT_FOUND();
  const db = getDb();
  const row = await db.clarification.findFirst({
    // A provider's lookup is scoped to their audit in the query itself.
    where: actor.kind === "invite" ? { id: clarificationId, auditId: actor.invite.auditId } : { id: clarificationId },
    select: { id: true, auditId: true, questionId: true, status: true, audit: { select: { questionnaireVersionId: true } } },
  });
  if (!row) throw CLARIFICATION_NOT_FOUND();

  if (actor.kind === "user") {
    try {
      await requireAuditAccess({ user: actor.user, auditId: row.auditId, need });
    } catch (e) {
      if (isAppError(e) && e.code === "NOT_FOUND") throw CLARIFICATION_NOT_FOUND();
      throw e;
    }
  } else {
    requireInviteState(actor.invite, inviteStates);
  }
  const { definition } = await getQuestionnaireVersion(row.audit.questionnaireVersionId);
  const sectionId = questionIndex(definition).get(row.questionId)?.sectionId;
  if (!sectionId) throw CLARIFICATION_NOT_FOUND();
  if (actor.kind === "invite" && !isDelegated(actor.invite, sectionId)) throw CLARIFICATION_NOT_FOUND();
  return { id: row.id, auditId: row.auditId, questionId: row.questionId, sectionId, status: row.status };
}

/** A link in another state reads as what it is (expired, revoked, submitted), never as a 404. */
export function requireInviteState(invite: TInviteContext, states: readonly TInviteState[]): void {
  if (states.includes(invite.state)) return;
  if (invite.state === "submitted") throw new AppError("FORBIDDEN", "Your answers were submitted; ask the auditor to reopen them to write more.");
  throw new AppError("FORBIDDEN", `This link has ${invite.state === "expired" ? "expired" : "been revoked"}.`);
}

/** An invite with no sections listed is delegated every section. */
export function isDelegated(invite: Pick<TInviteContext, "sections">, sectionId: string): boolean {
  return invite.sections.length === 0 || invite.sections.includes(sectionId);
}

/** The question ids of the sections delegated to an invite; null: all of them. */
export function delegatedQuestionIds(invite: Pick<TInviteContext, "sections">, definition: TQuestionnaire): string[] | null {
  if (invite.sections.length === 0) return null;
  return [...questionIndex(definition)].filter(([, q]) => invite.sections.includes(q.sectionId)).map(([id]) => id);
}
