"use server";

import { revalidatePath } from "next/cache";
import { requireUser } from "@/lib/auth/current-user";
import { runAction } from "@/lib/server-action";
import { createPackageShare } from "./create-package-share";
import { revokePackageShare } from "./revoke-package-share";
import type { TCreatePackageShareInput, TPackageShareRef } from "./schemas";
import type { TPackageShareView } from "./share-view";

// Thin: the domain operations parse the input and check access themselves.

/** What the panel shows once: the new link (it carries the token) and its row. */
export interface TIssuedShareLink {
  share: TPackageShareView;
  url: string;
}

export async function createPackageShareAction(input: TCreatePackageShareInput) {
  return runAction("createPackageShare", async (): Promise<TIssuedShareLink> => {
    const user = await requireUser();
    const created = await createPackageShare({ user, input });
    revalidatePath(`/audits/${created.auditId}/packages`);
    return { share: created.share, url: created.url };
  });
}

export async function revokePackageShareAction(input: TPackageShareRef) {
  return runAction("revokePackageShare", async () => {
    const user = await requireUser();
    const revoked = await revokePackageShare({ user, input });
    revalidatePath(`/audits/${revoked.auditId}/packages`);
    return { id: revoked.id, revokedAt: revoked.revokedAt.toISOString() };
  });
}
