import "server-only";
import { appBaseUrl } from "@/lib/invites/invite-url";

/** The page an external auditor opens. It carries the token: never log it, never store it. */
export function packageShareUrl(token: string): string {
  return `${appBaseUrl()}/p/${token}`;
}
