import "server-only";
import { checkBadTokenBudget, clientIp } from "./rate-limit";

// Pages cannot choose their status code, so a page under /r/[token] (invite-page-state.ts) or
// /p/[token] (share-page-state.ts) that finds its client out of bad-token budget redirects to
// its too-many-attempts route, and that route handler answers 429 with Retry-After through this
// function, in the words of its kind of link. Plain HTML: route handlers have no layout, and
// nothing here needs React.

const HEADERS = {
  "Content-Type": "text/html; charset=utf-8",
  "Cache-Control": "no-store",
  "Referrer-Policy": "no-referrer",
  "X-Robots-Tag": "noindex, nofollow",
};

/** How a kind of link is spoken of: invite links (the default) and shared packages' links. */
export interface TLinkWords {
  /** "open the link from your e-mail again" */
  openAgain: string;
  /** "ask the person who invited you for help" */
  askForHelp: string;
}

export const INVITE_LINK_WORDS: TLinkWords = { openAgain: "open the link from your e-mail again", askForHelp: "ask the person who invited you for help" };

/** 429 while the client is still blocked; 200 with "try again now" once its minute is over. */
export async function renderTooManyAttempts(requestHeaders: { get(name: string): string | null }, words: TLinkWords = INVITE_LINK_WORDS): Promise<Response> {
  const budget = await checkBadTokenBudget(clientIp(requestHeaders));
  if (budget.allowed) {
    return new Response(page("You can try again", `<p>${capitalise(words.openAgain)}.</p>`), { status: 200, headers: HEADERS });
  }
  const s = budget.retryAfterSeconds;
  return new Response(
    page(
      "Too many attempts",
      `<p>Too many links that do not exist were opened from your network. Wait ${s} second${s === 1 ? "" : "s"}, then ${words.openAgain}.</p>
<p style="color:#475569">If this keeps happening, ${words.askForHelp}.</p>`,
    ),
    { status: 429, headers: { ...HEADERS, "Retry-After": String(s) } },
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

function page(title: string, body: string): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><meta name="referrer" content="no-referrer"><meta name="robots" content="noindex, nofollow"><title>${title} · Assay</title></head>
<body style="font-family:system-ui,-apple-system,'Segoe UI',sans-serif;color:#0f172a;background:#f8fafc;margin:0">
<header style="border-bottom:1px solid #e2e8f0;background:#fff;padding:14px 16px;font-weight:700;font-size:18px">Assay</header>
<main style="max-width:32rem;margin:0 auto;padding:32px 16px;text-align:center;line-height:1.5"><h1 style="font-size:20px">${title}</h1>
${body}</main></body></html>`;
}
