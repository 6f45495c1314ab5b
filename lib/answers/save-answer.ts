import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb, Prisma } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { answerValueSchema } from "@/lib/questionnaires/answer-value";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { walkQuestions } from "@/lib/questionnaires/schema";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";
import { ZSaveAnswerInput, type TSaveAnswerInput } from "./schemas";

export interface TSavedAnswer {
  questionId: string;
  value: TAnswerValue;
  note: string | null;
  revision: number;
  updatedAt: string;
  updatedBy: string | null;
}

/** What a conflict sends back: the answer as it is now, so the UI can show both versions. */
export interface TAnswerConflict {
  current: TSavedAnswer | null;
}

/**
 * Saves one answer and its interview note. The save names the revision it started from; if
 * someone saved in between, nothing is written and CONFLICT carries the current answer.
 * Answers to follow-ups that are hidden right now are accepted: hidden answers are kept.
 */
export async function saveAnswer({ actor, input }: { actor: TCurrentUser; input: TSaveAnswerInput }): Promise<TSavedAnswer> {
  const parsed = ZSaveAnswerInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, questionId, note, baseRevision } = parsed.data;

  await requireAuditAccess({ user: actor, auditId, need: "edit" });
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const question = [...walkQuestions(definition)].find((w) => w.question.id === questionId)?.question;
  if (!question) {
    throw new AppError("INVALID_INPUT", "This question is not part of the audit's questionnaire version.", {
      fieldErrors: { questionId: `unknown question "${questionId}"` },
    });
  }
  const value = answerValueSchema(question).safeParse(parsed.data.value);
  if (!value.success) {
    throw new AppError("INVALID_INPUT", "This answer cannot be saved.", { fieldErrors: { value: value.error.issues[0]!.message } });
  }
  const cleanNote = note?.trim() ? note : null;
  const jsonValue = value.data === null ? Prisma.DbNull : value.data;

  try {
    return await db.$transaction(async (tx) => {
      let saved;
      if (baseRevision === 0) {
        // The unique (audit_id, question_id) index refuses a second first answer (P2002 below).
        saved = await tx.answer.create({
          data: { auditId, questionId, value: jsonValue, note: cleanNote, updatedById: actor.id },
          select: selectSaved,
        });
      } else {
        const { count } = await tx.answer.updateMany({
          where: { auditId, questionId, revision: baseRevision },
          data: { value: jsonValue, note: cleanNote, revision: { increment: 1 }, updatedById: actor.id, updatedAt: new Date() },
        });
        if (count === 0) throw await conflict(tx, auditId, questionId);
        saved = await tx.answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId } }, select: selectSaved });
      }
      await tx.audit.update({ where: { id: auditId }, data: { updatedAt: new Date() } });
      await recordAuditEvent(tx, {
        auditId,
        actorId: actor.id,
        action: "answer.saved",
        subject: questionId,
        data: { revision: saved.revision, value: value.data, note: cleanNote },
      });
      return toSaved(saved);
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw await conflict(db, auditId, questionId);
    }
    throw e;
  }
}

/** The columns of an answer that the UI shows (with toSaved). */
export const selectSaved = {
  questionId: true,
  value: true,
  note: true,
  revision: true,
  updatedAt: true,
  updatedBy: { select: { name: true, email: true } },
  updatedByInvite: { select: { name: true } },
} as const;

type TSavedRow = {
  questionId: string;
  value: unknown;
  note: string | null;
  revision: number;
  updatedAt: Date;
  updatedBy: { name: string | null; email: string | null } | null;
  updatedByInvite: { name: string } | null;
};

export function toSaved(row: TSavedRow): TSavedAnswer {
  return {
    questionId: row.questionId,
    value: (row.value ?? null) as TAnswerValue,
    note: row.note,
    revision: row.revision,
    updatedAt: row.updatedAt.toISOString(),
    updatedBy: row.updatedBy ? (row.updatedBy.name ?? row.updatedBy.email) : (row.updatedByInvite?.name ?? null),
  };
}

async function conflict(
  db: Pick<ReturnType<typeof getDb>, "answer">,
  auditId: string,
  questionId: string,
): Promise<AppError> {
  const current = await db.answer.findUnique({ where: { auditId_questionId: { auditId, questionId } }, select: selectSaved });
  const details: TAnswerConflict = { current: current ? toSaved(current) : null };
  return new AppError("CONFLICT", "Someone else saved this answer after you opened it.", { details });
}
