import "server-only";
import { authorColumns, type TActor } from "@/lib/auth/actor";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb, Prisma } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { answerValueSchema } from "@/lib/questionnaires/answer-value";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { computeQuestionStates, type TAnswerMap, type TAnswerValue } from "@/lib/questionnaires/visibility";
import { inviteState } from "@/lib/invites/invite-state";
import { inviteRefusal } from "@/lib/invites/require-invite";
import type { TInviteContext } from "@/lib/invites/resolve-invite";
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
 * Saves one answer. The save names the revision it started from; if someone saved in between,
 * nothing is written and CONFLICT carries the current answer.
 *
 * - An officer (edit access) saves the value and the interview note. Answers to follow-ups that
 *   are hidden right now are accepted: hidden answers are kept.
 * - A provider (active invite) saves the value only, for questions shown to them: in a section
 *   delegated to the invite, in the audit's scope, and visible with the answers as they are now.
 *   The interview note is internal: a provider neither sees nor changes it.
 */
export async function saveAnswer({ actor, input }: { actor: TActor; input: TSaveAnswerInput }): Promise<TSavedAnswer> {
  const parsed = ZSaveAnswerInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, questionId, note, baseRevision } = parsed.data;
  const db = getDb();

  if (actor.kind === "user") {
    await requireAuditAccess({ user: actor.user, auditId, need: "edit" });
  } else {
    requireAnsweringInvite(actor.invite, auditId);
  }
  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true, scope: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const entry = questionIndex(definition).get(questionId);
  if (!entry) {
    throw new AppError("INVALID_INPUT", "This question is not part of the audit's questionnaire version.", {
      fieldErrors: { questionId: `unknown question "${questionId}"` },
    });
  }
  if (actor.kind === "invite") await requireShownToProvider(actor.invite, definition, audit.scope as Record<string, boolean>, entry.sectionId, questionId);
  const question = entry.question;
  const value = answerValueSchema(question).safeParse(parsed.data.value);
  if (!value.success) {
    throw new AppError("INVALID_INPUT", "This answer cannot be saved.", { fieldErrors: { value: value.error.issues[0]!.message } });
  }
  // Providers never touch the internal note: `undefined` leaves the column as it is.
  const cleanNote = actor.kind === "invite" ? undefined : note?.trim() ? note : null;
  const jsonValue = value.data === null ? Prisma.DbNull : value.data;
  const author = authorColumns(actor);

  try {
    return await db.$transaction(async (tx) => {
      if (actor.kind === "invite") {
        // Checked again here, under a share lock on the invite row: a revoke or a submit (which
        // update that row) that landed while this request was arriving wins, and the save writes
        // nothing; saves of the same invite do not wait for each other.
        const [row] = await tx.$queryRaw<{ revoked_at: Date | null; expires_at: Date; submitted_at: Date | null }[]>`
          SELECT revoked_at, expires_at, submitted_at FROM invite WHERE id = ${actor.invite.id}::uuid FOR SHARE`;
        if (!row) throw new AppError("NOT_FOUND", "This link does not exist.");
        const state = inviteState({ revokedAt: row.revoked_at, expiresAt: row.expires_at, submittedAt: row.submitted_at });
        const refusal = inviteRefusal({ state, expiresAt: row.expires_at }, "answer");
        if (refusal) throw refusal;
      }
      let saved;
      if (baseRevision === 0) {
        // The unique (audit_id, question_id) index refuses a second first answer (P2002 below).
        saved = await tx.answer.create({
          data: { auditId, questionId, value: jsonValue, note: cleanNote ?? null, updatedById: author.userId, updatedByInviteId: author.inviteId },
          select: selectSaved,
        });
      } else {
        const { count } = await tx.answer.updateMany({
          where: { auditId, questionId, revision: baseRevision },
          data: {
            value: jsonValue,
            note: cleanNote,
            revision: { increment: 1 },
            updatedById: author.userId,
            updatedByInviteId: author.inviteId,
            updatedAt: new Date(),
          },
        });
        if (count === 0) throw await conflict(tx, auditId, questionId, actor);
        saved = await tx.answer.findUniqueOrThrow({ where: { auditId_questionId: { auditId, questionId } }, select: selectSaved });
      }
      await tx.audit.update({ where: { id: auditId }, data: { updatedAt: new Date() } });
      await recordAuditEvent(tx, {
        auditId,
        actorId: author.userId,
        inviteId: author.inviteId,
        action: "answer.saved",
        subject: questionId,
        data: { revision: saved.revision, value: value.data, ...(cleanNote === undefined ? {} : { note: cleanNote }) },
      });
      return toSaved(saved);
    });
  } catch (e) {
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw await conflict(db, auditId, questionId, actor);
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
  actor: TActor,
): Promise<AppError> {
  const row = await db.answer.findUnique({ where: { auditId_questionId: { auditId, questionId } }, select: selectSaved });
  const current = row ? toSaved(row) : null;
  const details: TAnswerConflict = { current: current && actor.kind === "invite" ? forProvider(current) : current };
  return new AppError("CONFLICT", "Someone else saved this answer after you opened it.", { details });
}

/** What a provider may see of a saved answer: not the internal note, not who else edited it. */
export function forProvider(answer: TSavedAnswer): TSavedAnswer {
  return { ...answer, note: null, updatedBy: null };
}

/** The invite may answer in this audit now: active (not submitted, expired or revoked). */
function requireAnsweringInvite(invite: TInviteContext, auditId: string): void {
  if (invite.auditId !== auditId) throw new AppError("NOT_FOUND", "This audit does not exist or you have no access to it.");
  const refusal = inviteRefusal(invite, "answer");
  if (refusal) throw refusal;
}

/** A provider answers only what is shown to them; anything else reads as an unknown question. */
async function requireShownToProvider(
  invite: TInviteContext,
  definition: TQuestionnaire,
  scope: Record<string, boolean>,
  sectionId: string,
  questionId: string,
): Promise<void> {
  const refuse = (why: string) => new AppError("INVALID_INPUT", why, { fieldErrors: { questionId: why } });
  if (invite.sections.length > 0 && !invite.sections.includes(sectionId)) throw refuse("This question is not part of what you were asked to answer.");
  const rows = await getDb().answer.findMany({ where: { auditId: invite.auditId }, select: { questionId: true, value: true } });
  const answers: TAnswerMap = Object.fromEntries(rows.map((r) => [r.questionId, r.value as TAnswerValue]));
  if (!computeQuestionStates(definition, scope, answers).get(questionId)?.visible) {
    throw refuse("This question is not shown with the current answers.");
  }
}
