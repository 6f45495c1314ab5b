"use server";

import { headers } from "next/headers";
import { runAction } from "@/lib/server-action";
import { clientIp } from "./rate-limit";
import { requireInvite } from "./require-invite";
import { submitInvite } from "./submit-invite";

// Server actions of the provider's pages: the token comes from the page's URL and is resolved
// here, on the server, at every call; nothing the browser says about the invite is trusted.

export async function submitAnswersAction(token: string) {
  return runAction("submitAnswers", async () => {
    const invite = await requireInvite({ token, need: "answer", clientKey: clientIp(await headers()) });
    await submitInvite({ invite });
    return { submitted: true };
  });
}
