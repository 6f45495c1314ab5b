"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { rateAnswer } from "./rate-answer";
import { recordVerdict } from "./record-verdict";
import { reopenAudit } from "./reopen-audit";
import type { TRateAnswerInput, TRecordVerdictInput, TReopenAuditInput, TSignOffAuditInput } from "./schemas";
import { signOffAudit } from "./sign-off-audit";

// Thin: the domain operations parse the input and check access themselves.

export async function rateAnswerAction(input: TRateAnswerInput) {
  return runAction("rateAnswer", async () => {
    const actor = await requireUser();
    const rating = await rateAnswer({ actor, input });
    // The summary and the attention list count ratings.
    revalidatePath(`/audits/${input.auditId}/review`);
    return rating;
  });
}

export async function recordVerdictAction(input: TRecordVerdictInput) {
  return runAction("recordVerdict", async () => {
    const actor = await requireUser();
    const verdict = await recordVerdict({ actor, input });
    revalidatePath(`/audits/${input.auditId}/review`);
    return verdict;
  });
}

export async function signOffAuditAction(input: TSignOffAuditInput) {
  return runAction("signOffAudit", async () => {
    const actor = await requireUser();
    const result = await signOffAudit({ actor, input });
    // Every page of the audit turns read-only.
    revalidatePath(`/audits/${result.auditId}`, "layout");
    return result;
  });
}

export async function reopenAuditAction(input: TReopenAuditInput) {
  return runAction("reopenAudit", async () => {
    const actor = await requireUser();
    const result = await reopenAudit({ actor, input });
    revalidatePath(`/audits/${result.auditId}`, "layout");
    return result;
  });
}
