import { withAuth } from "next-auth/middleware";

// Sends anonymous visitors to the sign-in page. A convenience only: every page, action and
// route handler checks the session and access itself (lib/auth, lib/audits/require-audit-access).
export const proxy = withAuth({ pages: { signIn: "/signin" } });

export const config = { matcher: ["/audits/:path*", "/verify", "/notifications"] };
