import "server-only";
import { inviteActor } from "@/lib/auth/actor";
import { requireInvite } from "@/lib/invites/require-invite";
import { answerBody } from "./answer-body";
import { forProvider, saveAnswer, type TSavedAnswer } from "./save-answer";
import type { TSaveAnswerInput } from "./schemas";

/**
 * A provider's autosave through their invite link: the link checked first (unknown, limited,
 * revoked, expired, submitted), then the body read and the answer saved as the provider may
 * see it. The one operation behind PUT /api/r/<token>/answers/<questionId>, whichever server
 * answers it (the Next route, or lib/server/serve-autosave.ts in front of Next).
 *
 * `readBody` is called only once the link is known good: a bad link's body is never parsed.
 */
export async function saveAnswerThroughLink({
  token,
  questionId,
  clientKey,
  readBody,
}: {
  token: string;
  questionId: string;
  clientKey: string;
  readBody: () => Promise<unknown>;
}): Promise<TSavedAnswer> {
  const invite = await requireInvite({ token, need: "answer", clientKey });
  const { value, baseRevision } = answerBody(await readBody());
  const saved = await saveAnswer({ actor: inviteActor(invite), input: { auditId: invite.auditId, questionId, value, note: null, baseRevision } as TSaveAnswerInput });
  return forProvider(saved);
}
