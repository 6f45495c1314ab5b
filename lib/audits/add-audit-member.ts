import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb, Prisma } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { requireAuditAccess } from "./require-audit-access";
import { ZAddAuditMemberInput, type TAddAuditMemberInput } from "./schemas";

/**
 * The owner adds an officer or a reviewer to the audit. The person must have signed in to
 * Assay once (that is how Assay learns who they are) and hold the matching role.
 */
export async function addAuditMember({ actor, input }: { actor: TCurrentUser; input: TAddAuditMemberInput }) {
  const parsed = ZAddAuditMemberInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const { auditId, email, role } = parsed.data;
  await requireAuditAccess({ user: actor, auditId, need: "manage" });

  const db = getDb();
  const candidates = await db.user.findMany({ where: { email }, select: { id: true, roles: true, name: true } });
  const person = candidates.find((u) => u.roles.includes(role)) ?? candidates[0];
  if (!person) {
    throw new AppError("INVALID_INPUT", "Nobody with this e-mail has signed in to Assay yet.", {
      fieldErrors: { email: "ask them to sign in once, then add them" },
    });
  }
  if (!person.roles.includes(role)) {
    throw new AppError("INVALID_INPUT", "This person does not have that role.", {
      fieldErrors: { role: role === "REVIEWER" ? "they are not an ISO 27001 reviewer" : "they are not a compliance officer" },
    });
  }
  try {
    return await db.$transaction(async (tx) => {
      await tx.auditMember.create({ data: { auditId, userId: person.id, role, addedById: actor.id } });
      await recordAuditEvent(tx, { auditId, actorId: actor.id, action: "member.added", subject: person.id, data: { email, role } });
      return { userId: person.id, name: person.name };
    });
  } catch (e) {
    // The (audit_id, user_id) primary key refuses a second membership.
    if (e instanceof Prisma.PrismaClientKnownRequestError && e.code === "P2002") {
      throw new AppError("CONFLICT", "This person is already a member of the audit.", { fieldErrors: { email: "already a member" } });
    }
    throw e;
  }
}
