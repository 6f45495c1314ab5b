import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { selectSaved, toSaved, type TSavedAnswer } from "@/lib/answers/save-answer";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { computeProgress } from "@/lib/questionnaires/progress";
import type { TAnswerMap } from "@/lib/questionnaires/visibility";
import { requireAuditAccess, type TAuditNeed } from "./require-audit-access";

/** An audit with its questionnaire, answers and progress, for a user allowed to `need` it. */
export async function getAudit({ user, auditId, need = "view" }: { user: TCurrentUser; auditId: string; need?: TAuditNeed }) {
  const access = await requireAuditAccess({ user, auditId, need });
  const audit = await getDb().audit.findUniqueOrThrow({
    where: { id: access.auditId },
    select: {
      id: true,
      providerName: true,
      providerContactName: true,
      providerContactEmail: true,
      questionnaireVersionId: true,
      scope: true,
      status: true,
      signedOffAt: true,
      signedOffBy: { select: { name: true, email: true } },
      signOffCount: true,
      createdAt: true,
      updatedAt: true,
      createdBy: { select: { name: true, email: true } },
      members: {
        select: { role: true, addedAt: true, user: { select: { id: true, name: true, email: true } } },
        orderBy: { addedAt: "asc" },
      },
      answers: { select: selectSaved },
    },
  });
  const questionnaire = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const answers: Record<string, TSavedAnswer> = {};
  for (const row of audit.answers) answers[row.questionId] = toSaved(row);
  const scope = audit.scope as Record<string, boolean>;
  const progress = computeProgress(questionnaire.definition, scope, answerValues(answers));
  return { access, audit: { ...audit, answers: undefined, scope }, questionnaire, answers, progress };
}

export type TAuditView = Awaited<ReturnType<typeof getAudit>>;

export function answerValues(answers: Record<string, Pick<TSavedAnswer, "value">>): TAnswerMap {
  return Object.fromEntries(Object.entries(answers).map(([id, a]) => [id, a.value]));
}
