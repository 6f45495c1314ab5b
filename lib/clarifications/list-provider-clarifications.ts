import "server-only";
import { getDb } from "@/lib/db";
import type { TInviteContext } from "@/lib/invites/resolve-invite";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { PROVIDER_READ_STATES, delegatedQuestionIds, requireInviteState } from "./require-clarification";
import { messageOrder, threadBase, threadColumns, threadOrder, type TThreadBase } from "./thread-view";

/**
 * A thread as a provider sees it through their link. There is no `internal` field: the query
 * selects provider-visible messages only. Officers appear by name, the invite's own messages as
 * "You", other respondents as "Provider" (never their name or e-mail).
 */
export interface TProviderClarificationView extends TThreadBase {
  messages: {
    id: string;
    body: string;
    createdAt: string;
    author: { kind: "auditor" | "you" | "provider"; name: string };
  }[];
}

/**
 * The clarification threads a provider sees through their link (active or submitted): those
 * on questions of the sections delegated to the invite, of the invite's own audit, with
 * provider-visible messages only. Open first (see threadOrder).
 *
 * Pass the invite resolved on the server from the link's token (resolveInvite), never an id
 * sent by the browser.
 */
export async function listProviderClarifications({ invite }: { invite: TInviteContext }): Promise<TProviderClarificationView[]> {
  requireInviteState(invite, PROVIDER_READ_STATES);
  const db = getDb();
  const audit = await db.audit.findUniqueOrThrow({ where: { id: invite.auditId }, select: { questionnaireVersionId: true } });
  const { definition } = await getQuestionnaireVersion(audit.questionnaireVersionId);
  const questionIds = delegatedQuestionIds(invite, definition);
  const rows = await db.clarification.findMany({
    where: { auditId: invite.auditId, ...(questionIds ? { questionId: { in: questionIds } } : {}) },
    orderBy: threadOrder,
    select: {
      ...threadColumns,
      messages: {
        // Invariant: internal notes never leave the database on this path. The filter is part of
        // the query, and `internal` is not even selected.
        where: { internal: false },
        orderBy: messageOrder,
        select: {
          id: true,
          body: true,
          createdAt: true,
          authorId: true,
          authorInviteId: true,
          // An officer's name only: no e-mail, and nothing about other respondents.
          author: { select: { name: true } },
        },
      },
    },
  });
  const now = new Date();
  return rows.map((r) => ({
    ...threadBase(r, definition, now),
    messages: r.messages.map((m) => ({
      id: m.id,
      body: m.body,
      createdAt: m.createdAt.toISOString(),
      author:
        m.authorId !== null
          ? { kind: "auditor" as const, name: m.author?.name ?? "Auditor" }
          : m.authorInviteId === invite.id
            ? { kind: "you" as const, name: "You" }
            : { kind: "provider" as const, name: "Provider" },
    })),
  }));
}
