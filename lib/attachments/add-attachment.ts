import "server-only";
import { randomUUID } from "node:crypto";
import { isQuestionShown } from "@/lib/answers/is-question-shown";
import { authorColumns, type TActor } from "@/lib/auth/actor";
import { getDb } from "@/lib/db";
import { getEnv } from "@/lib/env";
import { AppError, invalidInput } from "@/lib/errors";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import type { TQuestionnaire } from "@/lib/questionnaires/schema";
import { requireAttachmentAccess } from "./access";
import { sanitizeFileName } from "./file-name";
import { formatBytes } from "./file-types";
import { inspectFileHead, requireAllowedExtension } from "./inspect-content";
import { MULTIPART_OVERHEAD_BYTES, SNIFF_BYTES, type TAttachmentLimits } from "./limits";
import { receiveUpload } from "./receive-upload";
import { UPLOAD_FIELD_NAMES, UPLOAD_FILE_FIELD, ZUploadFields, type TUploadFields } from "./schemas";
import { recordAuditEventSql, requireInviteStillActive, touchOpenAudit, withAttachmentTransaction, type TSqlTx } from "./sql";
import { getAttachmentStore } from "./storage";
import { findTarget, isTargetDelegated, targetIndex, type TAttachmentTarget } from "./targets";
import type { TAttachmentView } from "./types";
import { selectAttachment, toAttachmentView } from "./views";

/** The limits of this server (ATTACHMENT_* in lib/env.ts). */
export function attachmentLimits(): TAttachmentLimits {
  const env = getEnv();
  return { maxFileBytes: env.ATTACHMENT_MAX_BYTES, maxAuditBytes: env.ATTACHMENT_AUDIT_MAX_BYTES };
}

/**
 * Receives one evidence file from a multipart request and stores it, attached to a question or
 * an evidence-checklist item of the audit.
 *
 * - Officers need edit access; providers an active invite, and a target their sections reach
 *   (a question also shown to them with the current answers, like saveAnswer).
 * - Refused before a byte is read: no access, a Content-Length that cannot fit the per-file
 *   limit or the audit's remaining total. While streaming: wrong fields, a disallowed or
 *   mismatching type (sniffed from the first 64 KiB), an empty or oversize file, a second file,
 *   a truncated body, a client that stalls.
 * - The row, its bytes and its "attachment.added" event commit in one transaction, after the
 *   whole request was parsed; any failure rolls all of it back.
 */
export async function addAttachment({ actor, auditId, request }: { actor: TActor; auditId: string; request: Request }): Promise<TAttachmentView> {
  await requireAttachmentAccess(actor, auditId, "edit");
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: auditId }, select: { questionnaireVersionId: true, scope: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const index = targetIndex(definition);

  const limits = attachmentLimits();
  const used = await usedBytes(db, auditId);
  const remaining = limits.maxAuditBytes - used;
  const tooLarge = (what: string) => (remaining < limits.maxFileBytes ? quotaExceeded(what, limits, remaining) : fileTooLarge(what, limits));
  const limit = Math.max(0, Math.min(limits.maxFileBytes, remaining));
  if (limit === 0) throw tooLarge("This file");
  const declared = Number(request.headers.get("content-length") ?? Number.NaN);
  if (Number.isFinite(declared) && declared > limit + MULTIPART_OVERHEAD_BYTES) throw tooLarge("The upload");

  return receiveUpload({
    request,
    fieldNames: UPLOAD_FIELD_NAMES,
    fileField: UPLOAD_FILE_FIELD,
    maxFileBytes: limit,
    tooLarge: (fileName) => tooLarge(`"${sanitizeFileName(fileName).name}"`),
    handleFile: async (file) => {
      const parsed = ZUploadFields.safeParse(file.fields);
      if (!parsed.success) throw invalidInput(parsed.error.issues, "Some fields of the upload need attention.");
      const fields = parsed.data;
      const target = await requireTarget(actor, index, definition, audit.scope as Record<string, boolean>, fields);
      const { name, extension } = sanitizeFileName(file.fileName);
      requireAllowedExtension(name, extension);

      // The head is sniffed before a database connection is taken: a refused type costs nothing.
      const bytes = countBytes(file.bytes, limit, () => tooLarge(`"${name}"`));
      const iterator = bytes[Symbol.asyncIterator]();
      const headParts: Uint8Array[] = [];
      let headSize = 0;
      let ended = false;
      while (headSize < SNIFF_BYTES) {
        const next = await iterator.next();
        if (next.done) {
          ended = true;
          break;
        }
        headParts.push(next.value);
        headSize += next.value.byteLength;
      }
      const head = Buffer.concat(headParts);
      if (head.byteLength === 0) {
        throw new AppError("INVALID_INPUT", `"${name}" is empty (0 bytes).`, { fieldErrors: { file: "the file is empty" }, details: { reason: "empty_file" } });
      }
      const { type, validateMore } = await inspectFileHead(head, { fileName: name, extension });
      async function* content(): AsyncGenerator<Uint8Array> {
        yield head;
        if (!ended) {
          for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
            validateMore(next.value);
            yield next.value;
          }
        }
        validateMore.end();
      }

      const id = randomUUID();
      const author = authorColumns(actor);
      await withAttachmentTransaction(async (tx) => {
        // The row first (the chunks reference it), with a placeholder size and hash until the
        // bytes are in; nobody sees it before the commit.
        await tx.query(
          `INSERT INTO attachment (id, audit_id, question_id, evidence_item_id, file_name, content_type, size, sha256,
             uploaded_by_id, uploaded_by_invite_id, certificate_issuer, certificate_scope, certificate_expires_on)
           VALUES ($1, $2, $3, $4, $5, $6, 1, '', $7, $8, $9, $10, $11::date)`,
          [id, auditId, target.questionId, target.evidenceItemId, name, type.mime, author.userId, author.inviteId, fields.certificateIssuer ?? null, fields.certificateScope ?? null, fields.certificateExpiresOn ?? null],
        );
        const blob = await getAttachmentStore().put(tx, id, content());
        // Nothing is committed until the whole request has been parsed: a second file, a
        // field after the file or a truncated body rolls this back.
        await file.complete;
        await requireStillFits(tx, { auditId, id, size: blob.size, limits, what: `"${name}"` });
        // A link revoked (or answers submitted) while the file was streaming: nothing is kept.
        if (actor.kind === "invite") await requireInviteStillActive(tx, actor.invite.id);
        await tx.query(`UPDATE attachment SET size = $2, sha256 = $3 WHERE id = $1`, [id, blob.size, blob.sha256]);
        await touchOpenAudit(tx, auditId);
        await recordAuditEventSql(tx, {
          auditId,
          actorId: author.userId,
          inviteId: author.inviteId,
          action: "attachment.added",
          subject: target.questionId ?? target.evidenceItemId,
          data: {
            attachmentId: id,
            fileName: name,
            contentType: type.mime,
            size: blob.size,
            sha256: blob.sha256,
            ...target,
            ...(fields.certificateIssuer || fields.certificateScope || fields.certificateExpiresOn
              ? { certificate: { issuer: fields.certificateIssuer ?? null, scope: fields.certificateScope ?? null, expiresOn: fields.certificateExpiresOn ?? null } }
              : {}),
          },
        });
      });

      const saved = await db.attachment.findUniqueOrThrow({ where: { id }, select: selectAttachment });
      return toAttachmentView(saved, true);
    },
  });
}

async function usedBytes(db: ReturnType<typeof getDb>, auditId: string): Promise<number> {
  const sum = await db.attachment.aggregate({ where: { auditId }, _sum: { size: true } });
  return Number(sum._sum.size ?? 0);
}

/** The target must exist in the audit's questionnaire version; a provider's must be theirs to answer. */
async function requireTarget(
  actor: TActor,
  index: ReturnType<typeof targetIndex>,
  definition: Pick<TQuestionnaire, "sections">,
  scope: Record<string, boolean>,
  fields: TUploadFields,
): Promise<TAttachmentTarget> {
  const found = findTarget(index, fields);
  if (!found.ok) {
    throw new AppError("INVALID_INPUT", "This is not part of the audit's questionnaire.", { fieldErrors: { [found.field]: found.message } });
  }
  const target = found.target;
  if (actor.kind === "invite") {
    const field = target.questionId !== null ? "questionId" : "evidenceItemId";
    const refuse = (why: string) => new AppError("INVALID_INPUT", why, { fieldErrors: { [field]: why }, details: { reason: "not_delegated" } });
    if (!isTargetDelegated(index, target, actor.invite.sections)) throw refuse("This is not part of what you were asked to answer.");
    if (target.questionId !== null && !(await isQuestionShown({ auditId: actor.invite.auditId, definition, scope, questionId: target.questionId }))) {
      throw refuse("This question is not shown with the current answers.");
    }
  }
  return target;
}

/** Counts the bytes as they pass and throws `tooLarge()` past `limit`. */
async function* countBytes(source: AsyncIterable<Uint8Array>, limit: number, tooLarge: () => AppError): AsyncGenerator<Uint8Array> {
  let size = 0;
  for await (const chunk of source) {
    size += chunk.byteLength;
    if (size > limit) throw tooLarge();
    yield chunk;
  }
}

function fileTooLarge(what: string, limits: TAttachmentLimits): AppError {
  return new AppError("TOO_LARGE", `${what} is larger than ${formatBytes(limits.maxFileBytes)}, the limit for one file.`, {
    fieldErrors: { file: `larger than ${formatBytes(limits.maxFileBytes)}` },
    details: { reason: "file_too_large", maxFileBytes: limits.maxFileBytes },
  });
}

function quotaExceeded(what: string, limits: TAttachmentLimits, remaining: number): AppError {
  const left = formatBytes(Math.max(0, remaining));
  return new AppError("TOO_LARGE", `${what} does not fit: this audit's attachments may total ${formatBytes(limits.maxAuditBytes)}, and ${left} are left.`, {
    fieldErrors: { file: `only ${left} left in this audit` },
    details: { reason: "audit_quota", maxAuditBytes: limits.maxAuditBytes, remainingBytes: Math.max(0, remaining) },
  });
}

/**
 * The audit's total, checked again at the end under a per-audit lock: two uploads that each fit
 * alone cannot both commit past the limit. The lock is held only from here to the commit.
 */
async function requireStillFits(
  tx: TSqlTx,
  { auditId, id, size, limits, what }: { auditId: string; id: string; size: number; limits: TAttachmentLimits; what: string },
): Promise<void> {
  await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [`attachment-quota:${auditId}`]);
  const { rows } = await tx.query<{ used: string }>(`SELECT COALESCE(SUM(size), 0)::text AS used FROM attachment WHERE audit_id = $1 AND id <> $2`, [auditId, id]);
  const used = Number(rows[0]!.used);
  if (used + size > limits.maxAuditBytes) throw quotaExceeded(what, limits, limits.maxAuditBytes - used);
}
