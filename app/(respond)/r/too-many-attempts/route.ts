import { headers } from "next/headers";
import { renderTooManyAttempts } from "@/lib/invites/too-many-attempts";

// A static segment, so it wins over /r/[token] (and is no token: tokens are 43 characters).
export async function GET() {
  return renderTooManyAttempts(await headers());
}
