import "server-only";
import { randomUUID } from "node:crypto";
import { AppError, appErrorFromDatabase, type ActionResult } from "@/lib/errors";
import { isDatabaseUnavailable } from "@/lib/http/json-route";
import { log } from "@/lib/log";

/**
 * Runs the body of a server action and turns its outcome into an ActionResult: AppErrors
 * become their code and message; anything else is logged with a request id and reported to
 * the user as a generic error carrying that id (never the internal message).
 */
export async function runAction<T>(name: string, body: () => Promise<T>): Promise<ActionResult<T>> {
  try {
    return { ok: true, data: await body() };
  } catch (caught) {
    const e = appErrorFromDatabase(caught) ?? caught;
    if (e instanceof AppError) {
      return { ok: false, code: e.code, message: e.message, fieldErrors: e.fieldErrors, details: e.details };
    }
    // redirect() and notFound() work by throwing; let Next handle them.
    if (isNextControlFlow(e)) throw e;
    const requestId = randomUUID();
    log.error("action.failed", { action: name, requestId, error: e instanceof Error ? `${e.name}: ${e.message}` : String(e) });
    if (isDatabaseUnavailable(e)) {
      return { ok: false, code: "UNAVAILABLE", message: `The database is not answering; nothing was saved. Try again in a moment. (ref ${requestId.slice(0, 8)})` };
    }
    return { ok: false, code: "UNAVAILABLE", message: `Something went wrong on our side; nothing was saved. (ref ${requestId.slice(0, 8)})` };
  }
}

function isNextControlFlow(e: unknown): boolean {
  const digest = (e as { digest?: unknown } | null)?.digest;
  return typeof digest === "string" && (digest.startsWith("NEXT_REDIRECT") || digest.startsWith("NEXT_HTTP_ERROR_FALLBACK") || digest === "NEXT_NOT_FOUND");
}
