"use server";

import { revalidatePath } from "next/cache";
import { inviteActor, userActor } from "@/lib/auth/actor";
import { requireUser } from "@/lib/auth/current-user";
import { AppError } from "@/lib/errors";
import { resolveInvite } from "@/lib/invites/resolve-invite";
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
 * A provider's reply through their link. The invite is resolved here from the token, never
 * taken from the client; postClarificationMessage checks its state and delegated sections.
 */
export async function replyToClarificationAction(token: string, input: TPostClarificationMessageInput) {
  return runAction("replyToClarification", async () => {
    const invite = typeof token === "string" ? await resolveInvite(token) : null;
    if (!invite) throw new AppError("NOT_FOUND", "This link is not valid. Ask the auditor for a new one.");
    const posted = await postClarificationMessage({ actor: inviteActor(invite), input });
    return { messageId: posted.messageId, status: posted.status };
  });
}
