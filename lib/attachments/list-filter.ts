import { invalidInput } from "@/lib/errors";
import { ZAttachmentListFilter } from "./schemas";

/** The list routes' query string, parsed: unknown parameters and malformed ids are refused. */
export function parseListFilter(url: string): { questionId?: string; evidenceItemId?: string } {
  const parsed = ZAttachmentListFilter.safeParse(Object.fromEntries(new URL(url).searchParams));
  if (!parsed.success) throw invalidInput(parsed.error.issues, "The list filter is not valid.");
  return parsed.data;
}
