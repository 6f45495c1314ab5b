import "server-only";
import type { IncomingMessage, ServerResponse } from "node:http";
import { saveAnswerThroughLink } from "@/lib/answers/save-answer-through-link";
import { AppError } from "@/lib/errors";
import { checkJsonRequest, errorReply, JSON_BODY_MAX_BYTES, parseJsonBody, tooLarge, type TJsonReply } from "@/lib/http/json-route";
import { inviteLinkHeaders, mergeHeaders, securityHeaders } from "@/lib/http/security-headers";
import { clientIp } from "@/lib/invites/rate-limit";

// The provider's autosave, answered before Next.js (decision 012). Every keystroke pause of
// every respondent is one of these requests, and Next costs ~1 ms of CPU a request around the
// route: more than the save and its invite lookup together. Here the same operation
// (saveAnswerThroughLink) runs straight from node:http, with the same headers Next would add
// (lib/http/security-headers.ts) and the same JSON replies (lib/http/json-route.ts).
//
// Only the exact request is taken: PUT /api/r/<token>/answers/<questionId>, no query string.
// Anything else, including that path with another method, goes on to Next.

const AUTOSAVE_PATH = /^\/api\/r\/([^/?#]+)\/answers\/([^/?#]+)$/;
const ROUTE = "PUT /api/r/:token/answers/:questionId";

/** The headers Next sends on /api/r/…: every response's, then the invite link's, then JSON. */
const HEADERS = { ...mergeHeaders(securityHeaders(false), inviteLinkHeaders), "Content-Type": "application/json" };

/** Answers `req` and returns true when it is an autosave; false (nothing touched) otherwise. */
export function serveAutosave(req: IncomingMessage, res: ServerResponse): boolean {
  if (req.method !== "PUT") return false;
  const match = AUTOSAVE_PATH.exec(req.url ?? "");
  if (!match) return false;
  let token: string;
  let questionId: string;
  try {
    token = decodeURIComponent(match[1]!);
    questionId = decodeURIComponent(match[2]!);
  } catch {
    return false; // malformed escapes: Next answers them as it does any bad URL
  }
  const headers = { get: (name: string) => header(req, name) };
  saveAnswerThroughLink({ token, questionId, clientKey: clientIp(headers), readBody: () => readJsonBody(req) }).then(
    (saved) => send(res, { status: 200, body: { data: saved }, headers: {} }),
    (e: unknown) => send(res, errorReply(e, ROUTE)),
  );
  return true;
}

function header(req: IncomingMessage, name: string): string | null {
  const v = req.headers[name.toLowerCase()];
  return v === undefined ? null : Array.isArray(v) ? v.join(", ") : v;
}

function send(res: ServerResponse, reply: TJsonReply): void {
  if (res.headersSent || res.destroyed) return;
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, { ...HEADERS, ...reply.headers, "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

/** The body as JSON, at most JSON_BODY_MAX_BYTES: the same checks and errors as readJson. */
function readJsonBody(req: IncomingMessage): Promise<unknown> {
  checkJsonRequest({ contentLength: header(req, "content-length"), contentType: header(req, "content-type") });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > JSON_BODY_MAX_BYTES) {
        req.off("data", onData);
        req.resume(); // drain the rest; the answer goes out now
        reject(tooLarge(JSON_BODY_MAX_BYTES));
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => {
      try {
        resolve(parseJsonBody(Buffer.concat(chunks)));
      } catch (e) {
        reject(e);
      }
    });
    req.once("error", reject);
    req.once("close", () => {
      if (!req.complete) reject(new AppError("INVALID_INPUT", "The request ended before its body did."));
    });
  });
}
