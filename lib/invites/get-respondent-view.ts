import "server-only";
import { forProvider, selectSaved, toSaved, type TSavedAnswer } from "@/lib/answers/save-answer";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { computeProgress } from "@/lib/questionnaires/progress";
import { questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { computeQuestionStates, isAnswered, type TAnswerValue } from "@/lib/questionnaires/visibility";
import type { TRequiredInvite } from "./find-invite";

/**
 * What a provider sees through their link: the questionnaire cut down to the sections delegated
 * to them, the audit's scope, and the answers in those sections without internal notes or who
 * else edited them. Nothing of other respondents, ratings, the verdict or officers' notes.
 */
export async function getRespondentView(invite: TRequiredInvite) {
  const version = await getQuestionnaireVersion(invite.questionnaireVersionId);
  const full = version.definition;
  const delegated = invite.sections.length === 0 ? full.sections : full.sections.filter((s) => invite.sections.includes(s.id));
  // Unused scopes and parts stay: visibility and optional parts refer to them by id.
  const questionnaire: TQuestionnaire = { ...full, sections: delegated };
  const audit = await getDb().audit.findUniqueOrThrow({ where: { id: invite.auditId }, select: { scope: true, providerName: true, status: true } });
  const scope = audit.scope as Record<string, boolean>;
  const index = questionIndex(questionnaire);
  const rows = await getDb().answer.findMany({ where: { auditId: invite.auditId }, select: selectSaved });
  const answers: Record<string, TSavedAnswer> = {};
  for (const row of rows) if (index.has(row.questionId)) answers[row.questionId] = forProvider(toSaved(row));
  const values = Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.value]));
  return {
    questionnaire,
    scope,
    answers,
    progress: computeProgress(questionnaire, scope, values),
    providerName: audit.providerName,
    title: version.title,
    // That the review is finished (answers and files read-only) — never its ratings or verdict.
    signedOff: audit.status === "SIGNED_OFF",
  };
}

export type TRespondentView = Awaited<ReturnType<typeof getRespondentView>>;

/** Required questions shown to this respondent that have no answer yet, in questionnaire order. */
export function missingRequired(view: Pick<TRespondentView, "questionnaire" | "scope" | "answers">) {
  const values: Record<string, TAnswerValue> = Object.fromEntries(Object.entries(view.answers).map(([id, a]) => [id, a.value]));
  return [...computeQuestionStates(view.questionnaire, view.scope, values).values()]
    .filter((s) => s.required && !isAnswered(values[s.question.id]))
    .map((s) => ({ questionId: s.question.id, sectionId: s.sectionId, text: s.question.text }));
}
