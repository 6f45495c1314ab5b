import "server-only";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion, type TQuestionnaireVersionInfo } from "./get-questionnaire-version";

function compareSemver(a: string, b: string): number {
  const pa = a.split(".").map(Number);
  const pb = b.split(".").map(Number);
  for (let i = 0; i < 3; i++) if (pa[i] !== pb[i]) return (pa[i] ?? 0) - (pb[i] ?? 0);
  return 0;
}

/** Every loaded version, grouped by questionnaire, newest version first. */
export async function listQuestionnaireVersions(): Promise<TQuestionnaireVersionInfo[]> {
  const rows = await getDb().questionnaireVersion.findMany({ select: { id: true, slug: true, version: true } });
  rows.sort((a, b) => a.slug.localeCompare(b.slug) || compareSemver(b.version, a.version));
  return Promise.all(rows.map((r) => getQuestionnaireVersion(r.id)));
}
