import "server-only";
import type { TActor } from "@/lib/auth/actor";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { AppError, auditSignedOffError } from "@/lib/errors";
import { inviteRefusal } from "@/lib/invites/require-invite";
import { isTargetDelegated, type TTargetIndex } from "./targets";

// Who may do what with attachments. Officers: the audit access check (view to list and
// download, edit to upload and remove). Providers: their invite's audit only — uploading and
// removing while the invite is active, viewing also after they submitted. Nobody uploads or
// removes while the audit is signed off: refused here, before a byte of an upload is read, and
// again under the audit row's lock when the upload commits (auditStillOpen in ./sql.ts).

const NOT_FOUND = () => new AppError("NOT_FOUND", "This audit does not exist or you have no access to it.");

/**
 * Throws unless `actor` may `need` the attachments of `auditId`; says whether it may also
 * change them (upload, remove its own).
 */
export async function requireAttachmentAccess(actor: TActor, auditId: string, need: "view" | "edit"): Promise<{ canEdit: boolean }> {
  if (actor.kind === "user") {
    const access = await requireAuditAccess({ user: actor.user, auditId, need });
    if (need === "edit" && access.signedOff) throw filesSignedOff();
    return { canEdit: access.can.edit && !access.signedOff };
  }
  if (actor.invite.auditId !== auditId) throw NOT_FOUND();
  // For an invite resolved earlier in the request (requireInvite checked it then).
  const refusal = inviteRefusal(actor.invite, need === "view" ? "view" : "answer");
  if (refusal) throw refusal;
  const audit = await getDb().audit.findUniqueOrThrow({ where: { id: auditId }, select: { status: true } });
  const signedOff = audit.status === "SIGNED_OFF";
  if (need === "edit" && signedOff) throw filesSignedOff();
  return { canEdit: actor.invite.state === "active" && !signedOff };
}

export const filesSignedOff = () => auditSignedOffError("its files are");

/**
 * Is this attachment one the actor may see, once audit access is established? Officers see
 * every attachment of the audit. A provider sees the files providers uploaded (through any
 * invite of the audit) to questions and evidence items its sections reach; officers' own
 * files stay internal.
 */
export function isVisibleTo(
  actor: TActor,
  row: { questionId: string | null; evidenceItemId: string | null; uploadedByInviteId: string | null },
  index: TTargetIndex,
): boolean {
  if (actor.kind === "user") return true;
  return row.uploadedByInviteId !== null && isTargetDelegated(index, row, actor.invite.sections);
}
