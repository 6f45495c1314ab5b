import "server-only";
import { getDb } from "@/lib/db";
import { ancestorIds, questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { isQuestionVisible, type TAnswerMap, type TAnswerValue, type TScopeFlags } from "@/lib/questionnaires/visibility";

/**
 * Whether a question of the audit is shown now: its scope, and the answers of its parents as
 * they are. Reads only those parents' answers (none for a top-level question), so it is cheap
 * enough for every autosave of a provider.
 */
export async function isQuestionShown({
  auditId,
  definition,
  scope,
  questionId,
}: {
  auditId: string;
  definition: Pick<TQuestionnaire, "sections">;
  scope: TScopeFlags;
  questionId: string;
}): Promise<boolean> {
  const index = questionIndex(definition);
  const ancestors = ancestorIds(index, questionId);
  let answers: TAnswerMap = {};
  if (ancestors.length > 0) {
    const rows = await getDb().answer.findMany({ where: { auditId, questionId: { in: ancestors } }, select: { questionId: true, value: true } });
    answers = Object.fromEntries(rows.map((r) => [r.questionId, r.value as TAnswerValue]));
  }
  return isQuestionVisible(index, scope, answers, questionId);
}
