import { headers } from "next/headers";
import { SHARE_LINK_WORDS } from "@/lib/evidence/shares/share-link-words";
import { renderTooManyAttempts } from "@/lib/invites/too-many-attempts";

// A static segment, so it wins over /p/[token] (and is no token: tokens are 43 characters).
export async function GET() {
  return renderTooManyAttempts(await headers(), SHARE_LINK_WORDS);
}
