import fs from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDeploy } from "@/lib/db/migrations";

declare module "vitest" {
  export interface ProvidedContext {
    /** The migrated `assay` database of this run's Postgres (contains its password). */
    databaseUrl: string;
  }
}

// One real Postgres for the whole integration run: a fresh data dir in the system temp dir (never
// the developer's .data/) on a port the OS picks, migrated once. Test files share it; a file
// that needs its own database creates one on this server.
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const dataDir = await fs.mkdtemp(path.join(os.tmpdir(), "assay-test-pg-"));
  const removeDataDir = () => fs.rm(dataDir, { recursive: true, force: true });
  const db = await startEmbeddedPostgres({ dataDir }).catch(async (error: unknown) => {
    await removeDataDir();
    throw error;
  });
  try {
    await migrateDeploy({ databaseUrl: db.databaseUrl });
  } catch (error) {
    await db.stop();
    await removeDataDir();
    throw error;
  }
  project.provide("databaseUrl", db.databaseUrl);
  return async () => {
    await db.stop();
    await removeDataDir();
  };
}
