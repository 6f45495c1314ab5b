import "server-only";
import { getDb } from "@/lib/db";
import { AppError } from "@/lib/errors";
import { ZQuestionnaire, type TQuestionnaire } from "./schema";

export interface TQuestionnaireVersionInfo {
  id: string;
  slug: string;
  version: string;
  title: string;
  contentHash: string;
  definition: TQuestionnaire;
}

// Versions are immutable rows, so a parsed copy can be kept for the life of the process.
const cache = new Map<string, TQuestionnaireVersionInfo>();

export async function getQuestionnaireVersion(id: string): Promise<TQuestionnaireVersionInfo> {
  const hit = cache.get(id);
  if (hit) return hit;
  const row = await getDb().questionnaireVersion.findUnique({ where: { id } });
  if (!row) throw new AppError("NOT_FOUND", "This questionnaire version does not exist.");
  // Validated when it was loaded; parsing again applies the same types to what comes back.
  const info = { id: row.id, slug: row.slug, version: row.version, title: row.title, contentHash: row.contentHash, definition: ZQuestionnaire.parse(row.definition) };
  cache.set(id, info);
  return info;
}
