import "server-only";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { requireAuditAccess } from "@/lib/audits/require-audit-access";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { messageOrder, threadBase, threadColumns, threadOrder, type TThreadBase } from "./thread-view";

/** A thread as the audit's members see it: every message, internal notes included. */
export interface TClarificationView extends TThreadBase {
  createdBy: string;
  messages: {
    id: string;
    body: string;
    internal: boolean;
    createdAt: string;
    author: { kind: "member" | "provider"; name: string };
  }[];
}

/**
 * Every clarification thread of an audit with every message, internal notes included, for its
 * members (view access). Open first (see threadOrder). The provider's listing is
 * listProviderClarifications: a separate query that cannot return internal notes.
 */
export async function listClarifications({ user, auditId }: { user: TCurrentUser; auditId: string }): Promise<TClarificationView[]> {
  const access = await requireAuditAccess({ user, auditId, need: "view" });
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: access.auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const rows = await db.clarification.findMany({
    where: { auditId: access.auditId },
    orderBy: threadOrder,
    select: {
      ...threadColumns,
      createdBy: { select: { name: true, email: true } },
      messages: {
        orderBy: messageOrder,
        select: {
          id: true,
          body: true,
          internal: true,
          createdAt: true,
          author: { select: { name: true, email: true } },
          authorInvite: { select: { name: true } },
        },
      },
    },
  });
  const now = new Date();
  return rows.map((r) => ({
    ...threadBase(r, definition, now),
    createdBy: r.createdBy.name ?? r.createdBy.email ?? "An officer",
    messages: r.messages.map((m) => ({
      id: m.id,
      body: m.body,
      internal: m.internal,
      createdAt: m.createdAt.toISOString(),
      author: m.authorInvite
        ? { kind: "provider" as const, name: m.authorInvite.name }
        : { kind: "member" as const, name: m.author?.name ?? m.author?.email ?? "A former member" },
    })),
  }));
}
