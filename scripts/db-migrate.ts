// Database migrations without the Prisma CLI's native engine (docs/decisions/002-offline-migrations.md).
//
//   npm run db:migrate                                  apply pending migrations
//   npm run db:migrate:dev -- --name add_x [--create-only] [--accept-data-loss]
//   npm run db:migrate:status
//   tsx --conditions=react-server scripts/db-migrate.ts resolve --rolled-back <name> | --applied <name>
//
// DATABASE_URL selects the database; without it, the embedded Postgres in .data/postgres (the
// app's own, under ASSAY_DATA_DIR when that is set) is started for the run and stopped afterwards,
// or used as it is when `npm start` is running it.
//
// This script reads its few variables itself rather than through lib/env.ts: a migration job in
// a deployment has DATABASE_URL and nothing else, while parseEnv demands the whole production
// configuration of the web app (OIDC, secrets).
import path from "node:path";
import { parseArgs } from "node:util";
import { DEFAULT_DATA_DIR, startEmbeddedPostgres } from "@/lib/db/embedded-postgres";
import { migrateDeploy, migrateDev, migrateResolve, migrateStatus, type MigrationStatus } from "@/lib/db/migrations";

const USAGE = `usage: db-migrate.ts deploy | dev --name <name> [--create-only] [--accept-data-loss] | status | resolve (--rolled-back <name> | --applied <name>)`;

async function main(): Promise<number> {
  const { positionals, values } = parseArgs({
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "create-only": { type: "boolean" },
      "accept-data-loss": { type: "boolean" },
      "rolled-back": { type: "string" },
      applied: { type: "string" },
    },
  });
  const command = positionals[0];
  if (!command || !["deploy", "dev", "status", "resolve"].includes(command) || positionals.length > 1) {
    console.error(USAGE);
    return 2;
  }
  if (command === "dev" && !values.name) {
    console.error(`dev needs --name <name>\n${USAGE}`);
    return 2;
  }
  if (command === "resolve" && !values["rolled-back"] === !values.applied) {
    console.error(`resolve needs exactly one of --rolled-back <name> or --applied <name>\n${USAGE}`);
    return 2;
  }

  const log = (message: string) => console.log(message);
  let databaseUrl = process.env.DATABASE_URL || undefined;
  if (!databaseUrl && process.env.ASSAY_ENV === "production") {
    console.error("DATABASE_URL is required when ASSAY_ENV=production (the embedded Postgres is for development and demos).");
    return 2;
  }
  const dataDir = process.env.ASSAY_DATA_DIR ? path.join(process.env.ASSAY_DATA_DIR, "postgres") : DEFAULT_DATA_DIR;
  const embedded = databaseUrl ? undefined : await startEmbeddedPostgres({ dataDir, log });
  databaseUrl ??= embedded!.databaseUrl;
  try {
    const started = performance.now();
    switch (command) {
      case "deploy": {
        const applied = await migrateDeploy({ databaseUrl, log });
        log(applied.length ? `${applied.length} migration(s) applied.` : "No pending migrations.");
        break;
      }
      case "dev": {
        const result = await migrateDev({
          databaseUrl,
          log,
          name: values.name!,
          createOnly: values["create-only"],
          acceptDataLoss: values["accept-data-loss"],
        });
        if (result.createdMigration && values["create-only"]) log("Edit it if needed, then run npm run db:migrate:dev (or db:migrate) to apply it.");
        break;
      }
      case "status": {
        const status = await migrateStatus({ databaseUrl, log });
        printStatus(status);
        if (!status.upToDate) return 1;
        break;
      }
      case "resolve": {
        const target = values["rolled-back"] ? { rolledBack: values["rolled-back"] } : { applied: values.applied! };
        await migrateResolve({ databaseUrl, log, ...target });
        break;
      }
    }
    log(`Done in ${((performance.now() - started) / 1000).toFixed(2)} s.`);
    return 0;
  } finally {
    await embedded?.stop();
  }
}

function printStatus(status: MigrationStatus): void {
  const list = (label: string, names: string[]) => names.length && console.log(`${label}:\n${names.map((n) => `  ${n}`).join("\n")}`);
  console.log(`${status.applied.length} migration(s) applied.`);
  list("Pending (run npm run db:migrate)", status.pending);
  list("Failed (fix, then resolve --rolled-back <name>)", status.failed);
  list("Edited after being applied", status.edited);
  list("Applied but missing from prisma/migrations", status.missingLocally);
  if (status.drift) console.log(`Drift:\n${status.drift}`);
  else if (!status.driftChecked) console.log("Drift: not checked.");
  console.log(status.upToDate ? "Database schema is up to date." : "Database schema is NOT up to date.");
}

main().then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    console.error(`db-migrate: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
  },
);
