import "server-only";
import { randomUUID } from "node:crypto";
import { AppError, appErrorFromDatabase } from "@/lib/errors";
import { log } from "@/lib/log";

// Route handlers answer JSON: `{ data }` on success, `{ error: { code, message, fieldErrors?,
// details? } }` with the AppError's status on an expected failure, 503 when the database is
// unreachable (nothing was written: the client may retry), 500 with a reference otherwise.

const NO_STORE = { "Cache-Control": "no-store" };

export function jsonOk(data: unknown, init: ResponseInit = {}): Response {
  return Response.json({ data }, { ...init, headers: { ...NO_STORE, ...init.headers } });
}

export function jsonError(caught: unknown, route: string, headers: Record<string, string> = {}): Response {
  const reply = errorReply(caught, route, headers);
  return Response.json(reply.body, { status: reply.status, headers: reply.headers });
}

/** A JSON answer before it is sent: what jsonError sends, for servers that are not Next's. */
export interface TJsonReply {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

/** The answer to a failure: the AppError's status and body; 503 or 500 (logged, with a reference) otherwise. */
export function errorReply(caught: unknown, route: string, headers: Record<string, string> = {}): TJsonReply {
  const e = appErrorFromDatabase(caught) ?? caught;
  if (e instanceof AppError) {
    const { code, message, fieldErrors, details } = e;
    const retryAfter = (details as { retryAfterSeconds?: number } | undefined)?.retryAfterSeconds;
    const extra: Record<string, string> = retryAfter ? { "Retry-After": String(retryAfter) } : {};
    return { status: e.status, body: { error: { code, message, fieldErrors, details } }, headers: { ...NO_STORE, ...extra, ...headers } };
  }
  const ref = randomUUID().slice(0, 8);
  const text = e instanceof Error ? `${e.name}: ${e.message}` : String(e);
  log.error("route.failed", { route, ref, error: text });
  if (isDatabaseUnavailable(e)) {
    return {
      status: 503,
      body: { error: { code: "UNAVAILABLE", message: `The database is not answering; nothing was saved. (ref ${ref})` } },
      headers: { ...NO_STORE, "Retry-After": "2", ...headers },
    };
  }
  return { status: 500, body: { error: { code: "INTERNAL", message: `Something went wrong on our side. (ref ${ref})` } }, headers: { ...NO_STORE, ...headers } };
}

/** Connection-level failures: refused, reset, terminated, timed out, or Prisma's "can't reach". */
export function isDatabaseUnavailable(e: unknown): boolean {
  const text = e instanceof Error ? `${e.name} ${e.message} ${(e as { code?: string }).code ?? ""} ${String((e as { cause?: unknown }).cause ?? "")}` : "";
  return /ECONNREFUSED|ECONNRESET|ETIMEDOUT|P1001|P1017|DatabaseNotReachable|Connection terminated|connect ECONN|Can't reach database|terminating connection|the database system is (shutting down|starting up)|Server has closed the connection/i.test(
    text,
  );
}

export const JSON_BODY_MAX_BYTES = 256 * 1024;

/** Reads a JSON body of at most `maxBytes`, with clear errors for too big and not JSON. */
export async function readJson(req: Request, maxBytes = JSON_BODY_MAX_BYTES): Promise<unknown> {
  checkJsonRequest({ contentLength: req.headers.get("content-length"), contentType: req.headers.get("content-type") }, maxBytes);
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (reader) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooLarge(maxBytes);
    }
    chunks.push(value);
  }
  return parseJsonBody(Buffer.concat(chunks));
}

export const tooLarge = (maxBytes: number) => new AppError("TOO_LARGE", `The request is larger than ${Math.round(maxBytes / 1024)} KiB.`);

/** Before reading a JSON body: refuses a declared size over `maxBytes` and any other type than JSON. */
export function checkJsonRequest(headers: { contentLength: string | null | undefined; contentType: string | null | undefined }, maxBytes = JSON_BODY_MAX_BYTES): void {
  if (Number(headers.contentLength ?? "0") > maxBytes) throw tooLarge(maxBytes);
  if (!(headers.contentType ?? "").toLowerCase().startsWith("application/json")) {
    throw new AppError("INVALID_INPUT", "Send the answer as JSON (Content-Type: application/json).");
  }
}

export function parseJsonBody(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString("utf8"));
  } catch {
    throw new AppError("INVALID_INPUT", "The request body is not valid JSON.");
  }
}
