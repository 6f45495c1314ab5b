import { randomUUID } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { getQuestionnaireVersion } from "@/lib/questionnaires/get-questionnaire-version";
import { QuestionnaireLoadError, syncQuestionnaires } from "@/lib/questionnaires/sync-questionnaires";

const REAL = readFileSync(path.resolve("questionnaires/infrastructure-provider/1.0.0.yaml"), "utf8");

const tempDirs: string[] = [];
afterAll(() => {
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
});

/** A questionnaires dir holding a copy of the real file under a slug no other test uses. */
function tempQuestionnaires(text = REAL) {
  const slug = `test-${randomUUID().slice(0, 8)}`;
  const dir = mkdtempSync(path.join(os.tmpdir(), "assay-q-"));
  tempDirs.push(dir);
  mkdirSync(path.join(dir, slug));
  const file = path.join(dir, slug, "1.0.0.yaml");
  writeFileSync(file, text.replace(/^slug: .*$/m, `slug: ${slug}`));
  return { slug, dir, file };
}

describe("loading questionnaires", () => {
  it("loads every version once and stores the definition with its content hash", async () => {
    const { slug, dir } = tempQuestionnaires();
    expect(await syncQuestionnaires({ dir, root: dir })).toEqual({ files: 1, inserted: 1 });
    expect(await syncQuestionnaires({ dir, root: dir })).toEqual({ files: 1, inserted: 0 });
    const row = await getDb().questionnaireVersion.findUniqueOrThrow({ where: { slug_version: { slug, version: "1.0.0" } } });
    expect(row.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const version = await getQuestionnaireVersion(row.id);
    expect(version.definition.sections.map((s) => s.id)).toEqual(["tech", "org", "legal", "collab", "env", "evidence"]);
  });

  it("accepts a change of comments and layout, refuses a change of content under the same version", async () => {
    const { slug, dir, file } = tempQuestionnaires();
    await syncQuestionnaires({ dir, root: dir });
    writeFileSync(file, `# a comment\n${readFileSync(file, "utf8")}\n\n`);
    await expect(syncQuestionnaires({ dir, root: dir })).resolves.toEqual({ files: 1, inserted: 0 });

    writeFileSync(file, readFileSync(file, "utf8").replace("Where are your data centers located?", "Where are your data centres?"));
    const error = await syncQuestionnaires({ dir, root: dir }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(QuestionnaireLoadError);
    expect((error as Error).message).toContain(`${slug}/1.0.0.yaml`);
    expect((error as Error).message).toMatch(/cannot change.*new version file \(e\.g\. 1\.1\.0\.yaml\)/);
  });

  it("a drifted file rolls back the new versions loaded beside it", async () => {
    const { slug, dir, file } = tempQuestionnaires();
    await syncQuestionnaires({ dir, root: dir });
    writeFileSync(file, readFileSync(file, "utf8").replace("Do you offer IAM?", "Do you offer identity management?"));
    const newer = path.join(dir, slug, "1.1.0.yaml");
    writeFileSync(newer, readFileSync(file, "utf8").replace(/^version: .*$/m, "version: 1.1.0"));
    await expect(syncQuestionnaires({ dir, root: dir })).rejects.toThrow(QuestionnaireLoadError);
    expect(await getDb().questionnaireVersion.count({ where: { slug } })).toBe(1);
  });

  it("a malformed file stops the load with file, line and reason, and loads nothing", async () => {
    const { slug, dir } = tempQuestionnaires(REAL.replace(/^(\s+)type: long_text$/m, "$1type: essay"));
    const error = (await syncQuestionnaires({ dir, root: dir }).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(QuestionnaireLoadError);
    expect(error.message).toMatch(new RegExp(`${slug}/1\\.0\\.0\\.yaml:\\d+:\\d+ sections\\[0\\].*type: `));
    expect(await getDb().questionnaireVersion.count({ where: { slug } })).toBe(0);
  });

  it("the database refuses to change a loaded version", async () => {
    const { slug, dir } = tempQuestionnaires();
    await syncQuestionnaires({ dir, root: dir });
    await expect(getDb().questionnaireVersion.updateMany({ where: { slug }, data: { title: "Changed" } })).rejects.toThrow(/immutable/);
  });
});
