import "server-only";
import { notFound } from "next/navigation";
import type { TCurrentUser } from "@/lib/auth/current-user";
import { isAppError } from "@/lib/errors";
import { getReview } from "./get-review";

/** getReview for the page: an audit the user may not see is a plain 404, like one that does not exist. */
export async function loadReviewPage(user: TCurrentUser, auditId: string) {
  try {
    return await getReview({ user, auditId });
  } catch (e) {
    if (isAppError(e) && e.code === "NOT_FOUND") notFound();
    throw e;
  }
}
