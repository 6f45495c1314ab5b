import crypto from "node:crypto";
import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, describe, expect, inject, it } from "vitest";
import { migrateDeploy, migrateDev, migrateResolve, migrateStatus } from "@/lib/db/migrations";

// Every test gets its own database on the run's shared server, so tests neither see nor break
// each other's schema. The repo's real migrations are used unless a test copies them.

const REPO = path.resolve(import.meta.dirname, "../..");
const SCHEMA = path.join(REPO, "prisma/schema.prisma");
const MIGRATIONS = path.join(REPO, "prisma/migrations");
const APP_TABLES = [
  "answer",
  "answer_rating",
  "attachment",
  "attachment_chunk",
  "audit",
  "audit_event",
  "audit_member",
  "audit_verdict",
  "clarification",
  "clarification_message",
  "evidence_package",
  "evidence_package_chunk",
  "invite",
  "notification",
  "package_share",
  "questionnaire_version",
  "user",
];

const serverUrl = inject("databaseUrl");
const created: string[] = [];
const tempDirs: string[] = [];

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

async function createDatabase(): Promise<string> {
  const name = `migrations_test_${crypto.randomBytes(5).toString("hex")}`;
  await withClient(serverUrl, (c) => c.query(`CREATE DATABASE "${name}"`));
  created.push(name);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function repoMigrationNames(): Promise<string[]> {
  const entries = await fs.readdir(MIGRATIONS, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
}

/** A temporary copy of prisma/migrations (and of the schema), for tests that add to them. */
async function copyOfRepo(): Promise<{ migrationsDir: string; schemaPath: string }> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), "assay-migrations-"));
  tempDirs.push(dir);
  const migrationsDir = path.join(dir, "migrations");
  await fs.cp(MIGRATIONS, migrationsDir, { recursive: true });
  const schemaPath = path.join(dir, "schema.prisma");
  await fs.copyFile(SCHEMA, schemaPath);
  return { migrationsDir, schemaPath };
}

async function tableExists(url: string, table: string): Promise<boolean> {
  return withClient(url, async (c) => (await c.query("SELECT to_regclass($1) AS t", [`public."${table}"`])).rows[0].t !== null);
}

afterAll(async () => {
  await withClient(serverUrl, async (c) => {
    for (const name of created) await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  });
  for (const dir of tempDirs) await fs.rm(dir, { recursive: true, force: true });
});

describe("migrateDeploy", () => {
  it("migrates a fresh database, then does nothing on a re-run", async () => {
    const url = await createDatabase();
    const names = await repoMigrationNames();
    expect(names.length).toBeGreaterThan(0);

    expect(await migrateDeploy({ databaseUrl: url })).toEqual(names);
    const tables = await withClient(url, async (c) =>
      (await c.query<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1")).rows.map((r) => r.tablename),
    );
    expect(tables).toEqual(["_prisma_migrations", ...APP_TABLES]);

    expect(await migrateDeploy({ databaseUrl: url })).toEqual([]);
  });

  it("applies a failing migration not at all, records it as failed and refuses to go on until resolved", async () => {
    const url = await createDatabase();
    const { migrationsDir } = await copyOfRepo();
    const broken = "29991231000000_broken";
    const file = path.join(migrationsDir, broken, "migration.sql");
    await fs.mkdir(path.dirname(file));
    // The first statement succeeds; the second fails. Nothing of the first may remain.
    await fs.writeFile(file, `CREATE TABLE "broken_probe" ("id" INTEGER);\nINSERT INTO "no_such_table" VALUES (1);\n`);

    const failure = migrateDeploy({ databaseUrl: url, migrationsDir });
    await expect(failure).rejects.toThrow(broken);
    await expect(failure).rejects.toThrow('relation "no_such_table" does not exist');
    expect(await tableExists(url, "broken_probe")).toBe(false);
    // The earlier migrations did apply: each migration is its own unit.
    expect(await tableExists(url, "audit")).toBe(true);

    const rows = await withClient(url, async (c) =>
      (await c.query("SELECT finished_at, rolled_back_at FROM _prisma_migrations WHERE migration_name = $1", [broken])).rows,
    );
    expect(rows).toEqual([{ finished_at: null, rolled_back_at: null }]);
    const status = await migrateStatus({ databaseUrl: url, migrationsDir, checkDrift: false });
    expect(status.failed).toEqual([broken]);
    expect(status.upToDate).toBe(false);

    // Deploy stops at the failed migration and says how to resolve it.
    await expect(migrateDeploy({ databaseUrl: url, migrationsDir })).rejects.toThrow(`resolve --rolled-back ${broken}`);

    // The way out: fix the file, mark the failed attempt rolled back, deploy again.
    await fs.writeFile(file, `CREATE TABLE "broken_probe" ("id" INTEGER);\n`);
    await migrateResolve({ databaseUrl: url, migrationsDir, rolledBack: broken });
    expect(await migrateDeploy({ databaseUrl: url, migrationsDir })).toEqual([broken]);
    expect(await tableExists(url, "broken_probe")).toBe(true);
  });
});

describe("migrateStatus", () => {
  it("lists pending migrations, then reports up to date once deployed", async () => {
    const url = await createDatabase();
    const names = await repoMigrationNames();

    const before = await migrateStatus({ databaseUrl: url });
    expect(before.pending).toEqual(names);
    expect(before.upToDate).toBe(false);

    await migrateDeploy({ databaseUrl: url });
    const after = await migrateStatus({ databaseUrl: url });
    expect(after).toMatchObject({ pending: [], applied: names, failed: [], edited: [], drift: null, driftChecked: true, upToDate: true });
  });

  it("reports drift after a manual ALTER TABLE, and dev refuses to go on", async () => {
    const url = await createDatabase();
    const { migrationsDir, schemaPath } = await copyOfRepo();
    await migrateDeploy({ databaseUrl: url });
    await withClient(url, (c) => c.query(`ALTER TABLE "user" ADD COLUMN "nickname" TEXT`));

    const status = await migrateStatus({ databaseUrl: url });
    expect(status.upToDate).toBe(false);
    expect(status.drift).toMatch(/Drift detected/);
    expect(status.drift).toContain("nickname");

    await expect(migrateDev({ databaseUrl: url, migrationsDir, schemaPath, name: "after_drift" })).rejects.toThrow(/reset[\s\S]*nickname/);
    expect(await fs.readdir(migrationsDir)).toEqual(await fs.readdir(MIGRATIONS)); // nothing written
  });
});

describe("migrateDev", () => {
  it("writes a migration for a schema change and applies it; --create-only only writes", async () => {
    const url = await createDatabase();
    const { migrationsDir, schemaPath } = await copyOfRepo();
    await migrateDeploy({ databaseUrl: url, migrationsDir });

    // No schema change: nothing to create.
    expect(await migrateDev({ databaseUrl: url, migrationsDir, schemaPath, name: "noop" })).toEqual({ createdMigration: null, applied: [] });

    const schema = await fs.readFile(schemaPath, "utf8");
    await fs.writeFile(schemaPath, schema.replace("  name         String?\n", "  name         String?\n  locale       String?\n"));
    const draft = await migrateDev({ databaseUrl: url, migrationsDir, schemaPath, name: "add_locale", createOnly: true });
    expect(draft.createdMigration).toMatch(/^\d{14}_add_locale$/);
    const sql = await fs.readFile(path.join(migrationsDir, draft.createdMigration!, "migration.sql"), "utf8");
    expect(sql).toContain(`ALTER TABLE "user" ADD COLUMN     "locale" TEXT`);
    expect((await migrateStatus({ databaseUrl: url, migrationsDir, checkDrift: false })).pending).toEqual([draft.createdMigration]);

    // A later dev applies the pending draft and finds nothing more to create.
    const applied = await migrateDev({ databaseUrl: url, migrationsDir, schemaPath, name: "again" });
    expect(applied).toEqual({ createdMigration: null, applied: [draft.createdMigration] });
    const columns = await withClient(url, async (c) =>
      (await c.query("SELECT column_name FROM information_schema.columns WHERE table_name = 'user' AND column_name = 'locale'")).rowCount,
    );
    expect(columns).toBe(1);
    expect((await migrateStatus({ databaseUrl: url, migrationsDir, schemaPath })).upToDate).toBe(true);

    // No shadow database is left behind.
    const shadows = await withClient(serverUrl, async (c) => (await c.query("SELECT 1 FROM pg_database WHERE datname LIKE 'assay_shadow_%'")).rowCount);
    expect(shadows).toBe(0);
  });
});

describe("immutability triggers", () => {
  it("refuse UPDATE and DELETE on questionnaire_version and audit_event, and allow TRUNCATE", async () => {
    const url = await createDatabase();
    await migrateDeploy({ databaseUrl: url });
    await withClient(url, async (c) => {
      await c.query(
        `INSERT INTO questionnaire_version (id, slug, version, title, content_hash, definition, source_file)
         VALUES (gen_random_uuid(), 'probe', '1', 'Probe', 'hash', '{}', 'probe/1.yaml')`,
      );
      await c.query(`INSERT INTO audit_event (action) VALUES ('probe.created')`);

      const refused = async (sql: string) => {
        const error = await c.query(sql).then(() => null, (e: pg.DatabaseError) => e);
        return error && { code: error.code, message: error.message };
      };
      expect(await refused(`UPDATE questionnaire_version SET title = 'Changed'`)).toEqual({
        code: "AY001",
        message: "questionnaire_version rows are immutable: publish a new version",
      });
      expect(await refused(`DELETE FROM questionnaire_version`)).toMatchObject({ code: "AY001" });
      expect(await refused(`UPDATE audit_event SET action = 'probe.changed'`)).toEqual({
        code: "AY001",
        message: "audit_event rows are immutable: the audit trail is append-only",
      });
      expect(await refused(`DELETE FROM audit_event`)).toMatchObject({ code: "AY001" });

      await c.query(`TRUNCATE questionnaire_version, audit_event CASCADE`);
      expect((await c.query(`SELECT 1 FROM audit_event`)).rowCount).toBe(0);
    });
  });
});
