import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, invalidInput, isAppError } from "@/lib/errors";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { questionIndex } from "@/lib/questionnaires/question-index";
import { dayToDate } from "./due-date";
import { lockOpenAuditForClarification } from "./require-clarification";
import { ZOpenClarificationInput, type TOpenClarificationInput } from "./schemas";

/**
 * An officer asks the provider to clarify the answer to one question ("the less expected the
 * answer, the more digging"). The thread starts OPEN with a first, provider-visible message.
 * Any question of the audit's pinned questionnaire version may be asked about, answered or not.
 * Refused once the audit is signed off (lockOpenAuditForClarification).
 */
export async function openClarification({ actor, input }: { actor: TCurrentUser; input: TOpenClarificationInput }) {
  const parsed = ZOpenClarificationInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, questionId, body, dueOn } = parsed.data;

  try {
    await requireAuditAccess({ user: actor, auditId, need: "edit" });
  } catch (e) {
    if (isAppError(e) && e.code === "FORBIDDEN") throw new AppError("FORBIDDEN", "Only the audit's officers can ask the provider for clarifications.");
    throw e;
  }
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const entry = questionIndex(definition).get(questionId);
  if (!entry) {
    throw new AppError("INVALID_INPUT", "This question is not part of the audit's questionnaire version.", {
      fieldErrors: { questionId: `unknown question "${questionId}"` },
    });
  }

  return db.$transaction(async (tx) => {
    await lockOpenAuditForClarification(tx, auditId);
    const clarification = await tx.clarification.create({
      data: {
        auditId,
        questionId,
        dueOn: dueOn ? dayToDate(dueOn) : null,
        createdById: actor.id,
        messages: { create: { body, internal: false, authorId: actor.id } },
      },
      select: { id: true, status: true, messages: { select: { id: true } } },
    });
    await tx.audit.update({ where: { id: auditId }, data: { updatedAt: new Date() } });
    await recordAuditEvent(tx, {
      auditId,
      actorId: actor.id,
      action: "clarification.opened",
      subject: questionId,
      data: { clarificationId: clarification.id, messageId: clarification.messages[0]!.id, body, dueOn: dueOn ?? null },
    });
    return { id: clarification.id, auditId, questionId, sectionId: entry.sectionId, status: clarification.status };
  });
}
