import "server-only";
import { readFileSync } from "node:fs";
import path from "node:path";
import { getDb } from "@/lib/db";
import type { Prisma } from "@/lib/generated/prisma/client";
import { formatQuestionnaireErrors, listQuestionnaireFiles, parseQuestionnaireFile, type TQuestionnaireFileError } from "./parse-questionnaire-file";

export class QuestionnaireLoadError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "QuestionnaireLoadError";
  }
}

/**
 * Loads every questionnaire file into the database at start. New versions are inserted; a
 * version already loaded must have exactly the same content hash, or the start fails naming the
 * file: published versions are immutable, and audits pinned to them must keep their meaning.
 * Nothing is inserted unless every file is valid.
 */
export async function syncQuestionnaires({ dir, root = process.cwd() }: { dir: string; root?: string }) {
  const files = listQuestionnaireFiles(dir);
  const errors: TQuestionnaireFileError[] = [];
  const parsed: (Extract<ReturnType<typeof parseQuestionnaireFile>, { ok: true }> & { file: string })[] = [];
  for (const file of files) {
    const display = path.relative(root, file) || file;
    const result = parseQuestionnaireFile({ file: display, text: readFileSync(file, "utf8") });
    if (result.ok) parsed.push({ ...result, file: display });
    else errors.push(...result.errors);
  }
  if (errors.length > 0) {
    throw new QuestionnaireLoadError(`Questionnaire files are invalid:\n${formatQuestionnaireErrors(errors)}`);
  }

  // One transaction: a drifted file rolls back the new versions inserted beside it.
  return getDb().$transaction(async (tx) => {
    // ON CONFLICT DO NOTHING: two servers starting at once both succeed; the hash check below
    // then holds both to the same content.
    const { count } = await tx.questionnaireVersion.createMany({
      skipDuplicates: true,
      data: parsed.map((p) => ({
        slug: p.questionnaire.slug,
        version: p.questionnaire.version,
        title: p.questionnaire.title,
        contentHash: p.contentHash,
        definition: p.questionnaire as unknown as Prisma.InputJsonValue,
        sourceFile: p.file,
      })),
    });
    const stored = await tx.questionnaireVersion.findMany({ select: { slug: true, version: true, contentHash: true } });
    const drift = parsed.flatMap((p) => {
      const row = stored.find((s) => s.slug === p.questionnaire.slug && s.version === p.questionnaire.version);
      if (!row || row.contentHash === p.contentHash) return [];
      return [
        `${p.file}: ${p.questionnaire.slug} version ${p.questionnaire.version} was loaded before with content ${row.contentHash.slice(0, 12)}…, ` +
          `but the file now has ${p.contentHash.slice(0, 12)}…. A published version cannot change: restore the file, ` +
          `or save the change as a new version file (e.g. ${nextVersion(p.questionnaire.version)}.yaml).`,
      ];
    });
    if (drift.length > 0) throw new QuestionnaireLoadError(drift.join("\n"));
    return { files: parsed.length, inserted: count };
  });
}

function nextVersion(v: string): string {
  const [major = 0, minor = 0] = v.split(".").map(Number);
  return `${major}.${minor + 1}.0`;
}
