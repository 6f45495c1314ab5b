"use server";

import { revalidatePath } from "next/cache";
import { headers } from "next/headers";
import { inviteActor, userActor } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";
import { clientIp } from "@/lib/invites/rate-limit";
import { requireInvite } from "@/lib/invites/require-invite";
import { runAction } from "@/lib/server-action";
import { openClarification } from "./open-clarification";
import { postClarificationMessage } from "./post-clarification-message";
import type { TOpenClarificationInput, TPostClarificationMessageInput, TSetClarificationStatusInput } from "./schemas";
import { setClarificationStatus } from "./set-clarification-status";

// Thin: the domain operations parse the input and check access themselves.

export async function openClarificationAction(input: TOpenClarificationInput) {
  return runAction("openClarification", async () => {
    const actor = await requireUser();
    const thread = await openClarification({ actor, input });
    revalidatePath(`/audits/${thread.auditId}`, "layout");
    return { id: thread.id };
  });
}

/** A member's message to the provider, or an internal note (`internal: true`). */
export async function postClarificationMessageAction(input: TPostClarificationMessageInput) {
  return runAction("postClarificationMessage", async () => {
    const user = await requireUser();
    const posted = await postClarificationMessage({ actor: userActor(user), input });
    revalidatePath(`/audits/${posted.auditId}`, "layout");
    return { messageId: posted.messageId, status: posted.status };
  });
}

export async function setClarificationStatusAction(input: TSetClarificationStatusInput) {
  return runAction("setClarificationStatus", async () => {
    const actor = await requireUser();
    const result = await setClarificationStatus({ actor, input });
    revalidatePath(`/audits/${result.auditId}`, "layout");
    return { status: result.status };
  });
}

/**
 * A provider's reply through their link. The invite is resolved here from the token (under the
 * bad-token rate limit), never taken from the client; postClarificationMessage checks again
 * that it may reply, and that the thread is in a section delegated to it.
 */
export async function replyToClarificationAction(token: string, input: TPostClarificationMessageInput) {
  return runAction("replyToClarification", async () => {
    const invite = await requireInvite({ token: String(token), need: "view", clientKey: clientIp(await headers()) });
    const posted = await postClarificationMessage({ actor: inviteActor(invite), input });
    return { messageId: posted.messageId, status: posted.status };
  });
}
