import "server-only";
import { checkBadTokenBudget, clientIp } from "@/lib/invites/rate-limit";

// Pages cannot choose their status code, so the share page redirects a client that is out of
// bad-token budget here (share-page-state.ts), and this answers 429 with Retry-After — the
// invite links' screen (lib/invites/too-many-attempts.ts) in the words of a share link. Plain
// HTML: a route handler has no layout, and nothing here needs React.

const HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
};

/** 429 while the client is still blocked; 200 with "try again now" once its minute is over. */
export async function renderShareTooManyAttempts(requestHeaders: { get(name: string): string | null }): Promise<Response> {
  const budget = await checkBadTokenBudget(clientIp(requestHeaders));
  if (budget.allowed) return new Response(page("You can try again", "<p>Open the download link you were sent again.</p>"), { status: 200, headers: HEADERS });
  const s = budget.retryAfterSeconds;
  const body = `<p>Too many links that do not exist were opened from your network. Wait ${s} second${s === 1 ? "" : "s"}, then open the download link you were sent again.</p>
<p style="color:#475569">If this keeps happening, ask the person who shared the package with you.</p>`;
  return new Response(page("Too many attempts", body), { status: 429, headers: { ...HEADERS, "Retry-After": String(s) } });
}

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow"><title>${title} · Assay</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#0f172a;background:#f8fafc;margin:0">
<header style="border-bottom:1px solid #e2e8f0;background:#fff;padding:14px 16px;font-weight:700;font-size:18px">Assay</header>
<main style="max-width:32rem;margin:0 auto;padding:32px 16px;text-align:center;line-height:1.5"><h1 style="font-size:20px">${title}</h1>
${body}</main></body></html>`;
}
