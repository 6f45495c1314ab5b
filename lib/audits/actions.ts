"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { addAuditMember } from "./add-audit-member";
import { createAudit } from "./create-audit";
import type { TAddAuditMemberInput, TCreateAuditInput } from "./schemas";

// Thin: the domain operations parse the input and check access themselves.

export async function createAuditAction(input: TCreateAuditInput) {
  return runAction("createAudit", async () => {
    const actor = await requireUser();
    const audit = await createAudit({ actor, input });
    revalidatePath("/audits");
    return { id: audit.id };
  });
}

export async function addAuditMemberAction(input: TAddAuditMemberInput) {
  return runAction("addAuditMember", async () => {
    const actor = await requireUser();
    const member = await addAuditMember({ actor, input });
    revalidatePath(`/audits/${input.auditId}`);
    return member;
  });
}
