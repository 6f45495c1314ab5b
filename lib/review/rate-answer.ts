import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, auditSignedOffError, invalidInput } from "@/lib/errors";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { questionIndex } from "@/lib/questionnaires/question-index";
import { lockAudit } from "./lock-audit";
import { ZRateAnswerInput, type TRateAnswerInput } from "./schemas";
import type { TRatingConflict, TRatingView } from "./types";
import { selectRating, toRatingView } from "./views";

/**
 * A reviewer rates the answer to one question of the audit's questionnaire version (answered or
 * not: "not applicable" and "needs clarification" make sense for a blank too). Revision-checked
 * like answers: the rating names the revision it started from (0: the first), and a stale one
 * is refused with the rating as it is now (CONFLICT, details.current), so two reviewers never
 * overwrite each other silently. "Not acceptable" and "needs clarification" need a note.
 *
 * Under the audit row's lock (lockAudit): refused once the audit is signed off.
 */
export async function rateAnswer({ actor, input }: { actor: TCurrentUser; input: TRateAnswerInput }): Promise<TRatingView> {
  const parsed = ZRateAnswerInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, questionId, rating, note, baseRevision } = parsed.data;

  await requireAuditAccess({ user: actor, auditId, need: "review" });
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  if (!questionIndex(definition).has(questionId)) {
    throw new AppError("INVALID_INPUT", "This question is not part of the audit's questionnaire version.", {
      fieldErrors: { questionId: `unknown question "${questionId}"` },
    });
  }

  return db.$transaction(async (tx) => {
    const locked = await lockAudit(tx, auditId);
    if (locked.status === "SIGNED_OFF") throw auditSignedOffError("its ratings are");
    // Every rating write holds the audit's lock: what is read here stays true until the commit.
    const current = await tx.answerRating.findUnique({ where: { auditId_questionId: { auditId, questionId } }, select: selectRating });
    if ((current?.revision ?? 0) !== baseRevision) {
      const details: TRatingConflict = { current: current ? toRatingView(current) : null };
      throw new AppError("CONFLICT", "Someone else rated this answer after you opened it.", { details });
    }
    const data = { rating, note, ratedById: actor.id, ratedAt: new Date() };
    const saved = current
      ? await tx.answerRating.update({ where: { auditId_questionId: { auditId, questionId } }, data: { ...data, revision: current.revision + 1 }, select: selectRating })
      : await tx.answerRating.create({ data: { ...data, auditId, questionId, revision: 1 }, select: selectRating });
    await tx.audit.update({ where: { id: auditId }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, { auditId, actorId: actor.id, action: "answer.rated", subject: questionId, data: { rating, note, revision: saved.revision } });
    return toRatingView(saved);
  });
}
