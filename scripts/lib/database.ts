import { mkdirSync } from "node:fs";
import path from "node:path";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDeploy } from "@/lib/db/migrations";
import type { TEnv } from "@/lib/env";
import { syncQuestionnaires } from "@/lib/questionnaires/sync-questionnaires";

// The database steps of `npm start` (scripts/start.ts), shared with the scripts that work on the
// same database the same way (scripts/evidence-sample.ts): the data dir, DATABASE_URL or the
// embedded Postgres under it, migrations, questionnaires.

/**
 * Creates the local state dir (ASSAY_DATA_DIR) and returns its absolute path. Searchable but not
 * listable: as root, the embedded Postgres runs as its own system user and must reach its data
 * dir inside; the secrets in here are files of mode 0600.
 */
export function ensureDataDir(env: Pick<TEnv, "ASSAY_DATA_DIR">): string {
  const dataDir = path.resolve(env.ASSAY_DATA_DIR);
  mkdirSync(dataDir, { recursive: true, mode: 0o711 });
  return dataDir;
}

export interface TDatabase {
  /** Contains the password: never print it. */
  databaseUrl: string;
  /** Stops the embedded Postgres if this process started it; a no-op for DATABASE_URL. */
  stop(): Promise<void>;
}

/**
 * DATABASE_URL when set, else the embedded Postgres under `<dataDir>/postgres` (started, or
 * attached to when `npm start` already runs it). Sets `process.env.DATABASE_URL`: the domain
 * code reads it through lib/env, and this process must see the same database as its children.
 */
export async function startDatabase({ env, dataDir, say }: { env: Pick<TEnv, "DATABASE_URL">; dataDir: string; say: (line: string) => void }): Promise<TDatabase> {
  let db: TDatabase;
  if (env.DATABASE_URL) {
    db = { databaseUrl: env.DATABASE_URL, stop: async () => {} };
  } else {
    const pgDir = path.join(dataDir, "postgres");
    say(`Starting the embedded PostgreSQL (data in ${pgDir.startsWith(process.cwd()) ? path.relative(process.cwd(), pgDir) : pgDir})…`);
    const pg = await startEmbeddedPostgres({ dataDir: pgDir, log: say });
    db = { databaseUrl: pg.databaseUrl, stop: () => pg.stop() };
  }
  process.env.DATABASE_URL = db.databaseUrl;
  return db;
}

/** Applies pending migrations, then loads the questionnaire files (a changed published version stops here). */
export async function migrateAndLoadQuestionnaires({
  databaseUrl,
  questionnairesDir,
  say,
}: {
  databaseUrl: string;
  questionnairesDir: string;
  say: (line: string) => void;
}): Promise<void> {
  const applied = await migrateDeploy({ databaseUrl });
  say(applied.length ? `Applied ${applied.length} migration(s): ${applied.join(", ")}` : "Database schema is up to date.");
  const q = await syncQuestionnaires({ dir: path.resolve(questionnairesDir) });
  say(`Questionnaires: ${q.files} version(s) checked, ${q.inserted} newly loaded.`);
}
