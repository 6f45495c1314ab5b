"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { requestEvidencePackage } from "./request-evidence-package";
import type { TRequestPackageInput } from "./schemas";

// Thin: the domain operation parses the input and checks access itself.

/** Issue (or retry) the package of the audit's current sign-off; returns at once with its job's state. */
export async function requestPackageAction(input: TRequestPackageInput) {
  return runAction("requestEvidencePackage", async () => {
    const user = await requireUser();
    const pkg = await requestEvidencePackage({ user, input });
    revalidatePath(`/audits/${pkg.auditId}/packages`);
    return pkg;
  });
}
