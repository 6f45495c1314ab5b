import "server-only";
import { notFound } from "next/navigation";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { getAudit } from "./get-audit";

/** getAudit for pages: an audit the user may not see is a plain 404, like one that does not exist. */
export async function loadAuditPage(user: TCurrentUser, auditId: string) {
  try {
    return await getAudit({ user, auditId, need: "view" });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
