import { headers } from "next/headers";
import { renderShareTooManyAttempts } from "@/lib/evidence/shares/too-many-attempts";

// A static segment, so it wins over /p/[token] (and is no token: tokens are 43 characters).
export async function GET() {
  return renderShareTooManyAttempts(await headers());
}
