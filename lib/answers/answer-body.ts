import { AppError } from "@/lib/errors";

/** The body of an answer PUT, loosely typed: saveAnswer parses it with the shared schema. */
export function answerBody(body: unknown): { value: unknown; note: unknown; baseRevision: unknown } {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    throw new AppError("INVALID_INPUT", "Send an object like {\"value\": …, \"baseRevision\": 0}.");
  }
  const b = body as Record<string, unknown>;
  return { value: b.value, note: b.note ?? null, baseRevision: b.baseRevision };
}
