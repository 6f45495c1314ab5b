import "server-only";
import { AppError } from "@/lib/errors";
import { jsonError } from "@/lib/http/json-route";
import { contentDisposition } from "./file-name";
import type { TAttachmentErrorBody, TAttachmentView } from "./types";

// Responses of the attachment routes: `{ data }` on success (lib/http/json-route.ts), and
// `{ error: { code, message, field?, fieldErrors?, details? } }` on a refusal — `field` names
// the form field at fault so the uploader can put the message beside it.

const NO_STORE = { "Cache-Control": "no-store" };

export function attachmentErrorResponse(e: unknown, route: string): Response {
  if (!(e instanceof AppError)) return jsonError(e, route);
  const field = e.fieldErrors ? Object.keys(e.fieldErrors)[0] : undefined;
  const details = (e.details ?? undefined) as TAttachmentErrorBody["error"]["details"];
  const body: TAttachmentErrorBody = { error: { code: e.code, message: e.message, ...(field ? { field, fieldErrors: e.fieldErrors } : {}), ...(details ? { details } : {}) } };
  const headers: Record<string, string> = { ...NO_STORE };
  const retryAfter = (details as { retryAfterSeconds?: unknown } | undefined)?.retryAfterSeconds;
  if ((e.code === "RATE_LIMITED" || e.code === "UNAVAILABLE") && typeof retryAfter === "number") headers["Retry-After"] = String(retryAfter);
  return Response.json(body, { status: e.status, headers });
}

/**
 * The file as a download: never rendered by the browser (attachment + nosniff + a sandboxing
 * CSP), never cached, with its size in X-Attachment-Size (Next drops Content-Length).
 */
export function attachmentDownloadResponse(attachment: TAttachmentView, stream: ReadableStream<Uint8Array>): Response {
  const type = attachment.contentType.startsWith("text/") ? `${attachment.contentType}; charset=utf-8` : attachment.contentType;
  return new Response(stream, {
    status: 200,
    headers: {
      "Content-Type": type,
      "Content-Disposition": contentDisposition(attachment.fileName),
      "X-Content-Type-Options": "nosniff",
      "Cache-Control": "private, no-store",
      "Content-Security-Policy": "default-src 'none'; sandbox",
      "X-Attachment-Size": String(attachment.size),
      "X-Attachment-Sha256": attachment.sha256,
    },
  });
}
