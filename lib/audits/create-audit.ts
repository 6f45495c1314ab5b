import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { hasRole } from "@/lib/auth/roles";
import { recordAuditEvent } from "@/lib/audit-log/record-audit-event";
import { getDb } from "@/lib/db";
import { AppError, invalidInput } from "@/lib/errors";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { resolveScope } from "@/lib/questionnaires/visibility";
import { ZCreateAuditInput, type TCreateAuditInput } from "./schemas";

/** An officer (or admin) opens an audit of a provider and becomes its owner. */
export async function createAudit({ actor, input }: { actor: TCurrentUser; input: TCreateAuditInput }) {
  if (!hasRole(actor, "OFFICER", "ADMIN")) {
    throw new AppError("FORBIDDEN", "Only compliance officers can open audits.");
  }
  const parsed = ZCreateAuditInput.safeParse(input);
  if (!parsed.success) throw invalidInput(parsed.error.issues);
  const data = parsed.data;

  const version = await getQuestionnaireVersion(data.questionnaireVersionId).catch(() => {
    throw new AppError("INVALID_INPUT", "Choose a questionnaire.", {
      fieldErrors: { questionnaireVersionId: "this questionnaire version does not exist" },
    });
  });
  const known = new Set(version.definition.scopes.map((s) => s.id));
  const unknown = Object.keys(data.scope).filter((k) => !known.has(k));
  if (unknown.length > 0) {
    throw new AppError("INVALID_INPUT", "The scope does not fit this questionnaire.", {
      fieldErrors: { scope: `unknown scope: ${unknown.join(", ")}` },
    });
  }
  const scope = resolveScope(version.definition, data.scope);

  return getDb().$transaction(async (tx) => {
    const audit = await tx.audit.create({
      data: {
        providerName: data.providerName,
        providerContactName: data.providerContactName,
        providerContactEmail: data.providerContactEmail,
        questionnaireVersionId: version.id,
        scope,
        createdById: actor.id,
        members: { create: { userId: actor.id, role: "OWNER", addedById: actor.id } },
      },
      select: { id: true },
    });
    await recordAuditEvent(tx, {
      auditId: audit.id,
      actorId: actor.id,
      action: "audit.created",
      data: { providerName: data.providerName, questionnaire: `${version.slug}@${version.version}`, scope },
    });
    return audit;
  });
}

