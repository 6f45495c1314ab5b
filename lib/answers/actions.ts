"use server";

import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { saveAnswer } from "./save-answer";
import type { TSaveAnswerInput } from "./schemas";

export async function saveAnswerAction(input: TSaveAnswerInput) {
  return runAction("saveAnswer", async () => {
    const actor = await requireUser();
    return saveAnswer({ actor, input });
  });
}
