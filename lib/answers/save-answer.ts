import "server-only";
import { authorColumns, type TActor } from "@/lib/auth/actor";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb, getPool } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { answerValueSchema } from "@/lib/questionnaires/answer-value";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { questionIndex } from "@/lib/questionnaires/question-index";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import type { TAnswerValue } from "@/lib/questionnaires/visibility";
import { inviteState } from "@/lib/invites/invite-state";
import { inviteRefusal } from "@/lib/invites/require-invite";
import type { TInviteContext } from "@/lib/invites/resolve-invite";
import { isQuestionShown } from "./is-question-shown";
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

  let audit: { questionnaireVersionId: string; scope: Record<string, boolean> };
  if (actor.kind === "user") {
    await requireAuditAccess({ user: actor.user, auditId, need: "edit" });
    const row = await getDb().audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true, scope: true } });
    audit = { questionnaireVersionId: row.questionnaireVersionId, scope: row.scope as Record<string, boolean> };
  } else {
    requireAnsweringInvite(actor.invite, auditId);
    audit = actor.invite; // read with the invite, in the same query
  }
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const entry = questionIndex(definition).get(questionId);
  if (!entry) {
    throw new AppError("INVALID_INPUT", "This question is not part of the audit's questionnaire version.", {
      fieldErrors: { questionId: `unknown question "${questionId}"` },
    });
  }
  if (actor.kind === "invite") await requireShownToProvider(actor.invite, definition, audit.scope, entry.sectionId, questionId);
  const value = answerValueSchema(entry.question).safeParse(parsed.data.value);
  if (!value.success) {
    throw new AppError("INVALID_INPUT", "This answer cannot be saved.", { fieldErrors: { value: value.error.issues[0]!.message } });
  }

  const author = authorColumns(actor);
  // Providers never touch the internal note: it stays as it is.
  const setNote = actor.kind === "user";
  const cleanNote = setNote && note?.trim() ? note : null;
  const valueJson = value.data === null ? null : JSON.stringify(value.data);

  // One statement, so one round trip and atomic on its own: the audit still open, under its row
  // lock (a sign-off, which takes the same lock, is ordered before or after, never between); for
  // a provider, the invite checked again under a share lock (a revoke or a submit that landed
  // while this request was arriving wins, and nothing is written; saves of one invite do not
  // wait for each other); the answer inserted (first answer) or updated only if it is still at
  // the revision the edit started from; the history event; the audit's last change. Nothing is
  // written unless all are.
  const { rows } = await getPool().query<TWriteResult>({
    name: "assay.save-answer",
    text: SAVE_ANSWER_SQL,
    values: [auditId, author.inviteId, author.userId, questionId, valueJson, setNote, cleanNote, baseRevision],
  });
  const result = rows[0];

  if (!result?.allowed && actor.kind === "invite") throw await refusalNow(actor.invite);
  if (!result?.open) throw auditSignedOff();
  if (result?.revision == null) throw await conflict(auditId, questionId, actor);
  return {
    questionId,
    value: (result.value ?? null) as TAnswerValue,
    note: result.note,
    revision: result.revision,
    updatedAt: result.updated_at.toISOString(),
    updatedBy: actor.kind === "user" ? (actor.user.name ?? actor.user.email) : actor.invite.name,
  };
}

// $1 audit id, $2 invite id (null for a user), $3 user id (null for an invite), $4 question id,
// $5 the value as JSON text (null clears), $6 whether the note is set (officers), $7 the note,
// $8 the revision the edit started from (0: first answer). A named prepared statement: planned
// once per connection, not on every autosave.
const SAVE_ANSWER_SQL = `
  WITH open_audit AS (
    SELECT id FROM audit WHERE id = $1::uuid AND status = 'IN_PROGRESS' FOR NO KEY UPDATE
  ), allowed AS (
    SELECT $2::uuid IS NULL OR EXISTS (
      SELECT 1 FROM invite
       WHERE id = $2::uuid AND revoked_at IS NULL AND submitted_at IS NULL AND expires_at > now()
         FOR SHARE) AS ok
  ), upd AS (
    UPDATE answer
       SET value = $5::jsonb, note = CASE WHEN $6::boolean THEN $7::text ELSE note END, revision = revision + 1,
           updated_by_id = $3::uuid, updated_by_invite_id = $2::uuid, updated_at = now()
     WHERE audit_id = $1::uuid AND question_id = $4::text AND revision = $8::int
       AND $8::int > 0 AND (SELECT ok FROM allowed) AND EXISTS (SELECT 1 FROM open_audit)
    RETURNING value, note, revision, updated_at
  ), ins AS (
    INSERT INTO answer (id, audit_id, question_id, value, note, revision, updated_by_id, updated_by_invite_id, updated_at)
    SELECT gen_random_uuid(), $1::uuid, $4::text, $5::jsonb, $7::text, 1, $3::uuid, $2::uuid, now()
     WHERE $8::int = 0 AND (SELECT ok FROM allowed) AND EXISTS (SELECT 1 FROM open_audit)
    ON CONFLICT (audit_id, question_id) DO NOTHING
    RETURNING value, note, revision, updated_at
  ), saved AS (
    SELECT * FROM upd UNION ALL SELECT * FROM ins
  ), event AS (
    INSERT INTO audit_event (audit_id, actor_id, invite_id, action, subject, data)
    SELECT $1::uuid, $3::uuid, $2::uuid, 'answer.saved', $4::text,
           jsonb_build_object('revision', revision, 'value', $5::jsonb)
             || CASE WHEN $6::boolean THEN jsonb_build_object('note', note) ELSE '{}'::jsonb END
      FROM saved
  ), touched AS (
    UPDATE audit SET updated_at = now() WHERE id IN (SELECT id FROM open_audit) AND EXISTS (SELECT 1 FROM saved)
  )
  SELECT (SELECT ok FROM allowed) AS allowed, EXISTS (SELECT 1 FROM open_audit) AS open, s.value, s.note, s.revision, s.updated_at
    FROM (SELECT 1) AS one LEFT JOIN saved s ON true`;

interface TWriteResult {
  allowed: boolean;
  /** The audit was open for changes (not signed off). */
  open: boolean;
  value: unknown;
  note: string | null;
  revision: number | null;
  updated_at: Date;
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

async function conflict(auditId: string, questionId: string, actor: TActor): Promise<AppError> {
  const row = await getDb().answer.findUnique({ where: { auditId_questionId: { auditId, questionId } }, select: selectSaved });
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

export const auditSignedOff = () =>
  new AppError("FORBIDDEN", "This audit is signed off: its answers are read-only until an admin reopens it.", { details: { reason: "signed_off" } });

/** Why the invite refused the save that was just attempted (revoked, expired or submitted meanwhile). */
async function refusalNow(invite: TInviteContext): Promise<AppError> {
  const row = await getDb().invite.findUnique({ where: { id: invite.id }, select: { revokedAt: true, expiresAt: true, submittedAt: true } });
  if (!row) return new AppError("NOT_FOUND", "This link does not exist.");
  return (
    inviteRefusal({ state: inviteState(row), expiresAt: row.expiresAt }, "answer") ??
    new AppError("FORBIDDEN", "This link could not answer just now; reload the page and try again.")
  );
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
  if (!(await isQuestionShown({ auditId: invite.auditId, definition, scope, questionId }))) {
    throw refuse("This question is not shown with the current answers.");
  }
}
