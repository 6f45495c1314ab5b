import "server-only";

import crypto from "node:crypto";
import fsp from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { PrismaPg } from "@prisma/adapter-pg";
import {
  bindMigrationAwareSqlAdapterFactory,
  ColumnTypeEnum,
  DriverAdapterError,
  type ErrorRegistry,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
  type SqlQuery,
  type SqlResultSet,
} from "@prisma/driver-adapter-utils";
import type { MigrationList, SchemaEngine, SchemaFilter, SchemasContainer } from "@prisma/schema-engine-wasm";
import pg from "pg";

// The offline migration runner (docs/decisions/002-offline-migrations.md). The Prisma CLI needs a
// native schema engine that it downloads at run time, which this environment cannot do; the same
// engine published as WebAssembly, driven through a pg-backed driver adapter, reads and writes
// the standard prisma/migrations/<timestamp>_<name>/migration.sql files and `_prisma_migrations`
// table, so a normal Prisma CLI elsewhere sees the same history.

export const DEFAULT_SCHEMA_PATH = "prisma/schema.prisma";
export const DEFAULT_MIGRATIONS_DIR = "prisma/migrations";

/** Shown when a migration failed; `npm run db:migrate` cannot take a subcommand. */
const RESOLVE_COMMAND = "npx tsx --conditions=react-server scripts/db-migrate.ts resolve --rolled-back";

export type MigrationOptions = {
  databaseUrl: string;
  /** Relative paths resolve against the working directory (npm scripts run at the repo root). */
  schemaPath?: string;
  migrationsDir?: string;
  log?: (message: string) => void;
};

export type MigrationStatus = {
  /** Migrations in the directory that the database has not run. */
  pending: string[];
  /** Finished (and not rolled back) according to `_prisma_migrations`. */
  applied: string[];
  /** Started but not finished and not marked rolled back: deploy refuses to continue. */
  failed: string[];
  /** Applied, but migration.sql changed since. */
  edited: string[];
  /** Recorded in the database, missing from the directory. */
  missingLocally: string[];
  /** The schema differs from what the applied migrations produce; null: not detected (or not checked). */
  drift: string | null;
  driftChecked: boolean;
  upToDate: boolean;
};

/** Applies pending migrations; returns their names (none on a re-run). */
export async function migrateDeploy(options: MigrationOptions): Promise<string[]> {
  return withEngine(options, async ({ engine, migrationsList }) => {
    if (migrationsList.migrationDirectories.length === 0) return [];
    const { appliedMigrationNames } = await engine.applyMigrations({ migrationsList, filters: FILTERS });
    for (const name of appliedMigrationNames) options.log?.(`Applied ${name}`);
    return appliedMigrationNames;
  });
}

export type MigrateDevOptions = MigrationOptions & {
  name: string;
  /** Write the migration without applying it (an empty one when the schema has not changed). */
  createOnly?: boolean;
  /** Apply even when the new migration drops data (tables, columns). */
  acceptDataLoss?: boolean;
};

export type MigrateDevResult = { createdMigration: string | null; applied: string[] };

/**
 * `prisma migrate dev` without its prompts: apply what is pending, write a migration for the
 * difference between the migrations and the schema, apply it. Refuses (changing nothing) when
 * Prisma would want to reset the database, e.g. on drift or an edited migration.
 */
export async function migrateDev(options: MigrateDevOptions): Promise<MigrateDevResult> {
  if (!/^[A-Za-z0-9_]+$/.test(options.name)) {
    throw new Error(`Migration name "${options.name}" must consist of letters, digits and underscores.`);
  }
  const migrationsDir = path.resolve(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
  const log = options.log ?? (() => {});
  return withEngine(options, async ({ engine, migrationsList, schema }) => {
    const diagnose = async () => {
      const { action } = await engine.devDiagnostic({ migrationsList, filters: FILTERS });
      if (action.tag === "reset") {
        throw new Error(
          `migrate dev stopped: the database needs a reset, which this runner never does on its own.\n${action.reason}\n` +
            `Nothing was changed. For a development database, drop and recreate it (or delete its data dir), then run dev again.`,
        );
      }
    };
    await diagnose();
    const applied = [...(await engine.applyMigrations({ migrationsList, filters: FILTERS })).appliedMigrationNames];
    for (const name of applied) log(`Applied ${name}`);
    // evaluateDataLoss and createMigration have no shadow database of their own in the wasm
    // engine: they read the migrations' schema from a cache that devDiagnostic fills, keyed by
    // the *applied* migrations. Once pending ones were applied, fill it again for the full list
    // (without this: "PostgreSQL shadow DB must be provided through an external factory").
    if (applied.length > 0) await diagnose();

    const loss = await engine.evaluateDataLoss({ migrationsList, schema, filters: FILTERS });
    if (loss.unexecutableSteps.length > 0) {
      throw new Error(`The schema change cannot be applied to this database:\n${loss.unexecutableSteps.map((s) => `- ${s.message}`).join("\n")}`);
    }
    if (loss.warnings.length > 0 && !options.createOnly && !options.acceptDataLoss) {
      throw new Error(
        `The schema change would lose data:\n${loss.warnings.map((s) => `- ${s.message}`).join("\n")}\n` +
          `Re-run with --accept-data-loss, or with --create-only to edit the migration first.`,
      );
    }

    const created = await engine.createMigration({
      draft: options.createOnly ?? false,
      migrationName: options.name,
      migrationsList,
      schema,
      filters: FILTERS,
    });
    if (created.migrationScript === null) {
      log("The schema matches the migrations: no new migration.");
      return { createdMigration: null, applied };
    }
    const dir = path.join(migrationsDir, created.generatedMigrationName);
    await fsp.mkdir(dir, { recursive: true });
    await fsp.writeFile(path.join(dir, `migration.${created.extension}`), created.migrationScript);
    if (migrationsList.lockfile.content === null) {
      await fsp.writeFile(path.join(migrationsDir, LOCKFILE), LOCKFILE_CONTENT);
    }
    log(`Created ${path.relative(process.cwd(), dir)}/migration.${created.extension}`);
    if (options.createOnly) return { createdMigration: created.generatedMigrationName, applied };

    const updatedList = await readMigrationsList(migrationsDir);
    const more = (await engine.applyMigrations({ migrationsList: updatedList, filters: FILTERS })).appliedMigrationNames;
    for (const name of more) log(`Applied ${name}`);
    return { createdMigration: created.generatedMigrationName, applied: [...applied, ...more] };
  });
}

/** Pending, applied, failed and edited migrations; drift too unless `checkDrift: false` (it needs a shadow database, ~1 s). */
export async function migrateStatus(options: MigrationOptions & { checkDrift?: boolean }): Promise<MigrationStatus> {
  return withEngine(options, async ({ engine, migrationsList, factory }) => {
    const history = await engine.diagnoseMigrationHistory({ migrationsList, optInToShadowDatabase: false, filters: FILTERS });
    const applied = history.hasMigrationsTable ? await factory.appliedMigrationNames() : [];
    const diagnostic = history.history;
    const pending =
      diagnostic?.diagnostic === "databaseIsBehind" || diagnostic?.diagnostic === "historiesDiverge" ? diagnostic.unappliedMigrationNames : [];
    const missingLocally =
      diagnostic?.diagnostic === "migrationsDirectoryIsBehind" || diagnostic?.diagnostic === "historiesDiverge"
        ? diagnostic.unpersistedMigrationNames
        : [];

    // Only devDiagnostic compares the live schema with the migrations (on a shadow database).
    let drift: string | null = null;
    let driftChecked = false;
    if (options.checkDrift !== false) {
      try {
        const { action } = await engine.devDiagnostic({ migrationsList, filters: FILTERS });
        driftChecked = true;
        if (action.tag === "reset" && /drift/i.test(action.reason)) drift = action.reason;
      } catch (error) {
        options.log?.(`Drift not checked: ${errorMessage(error, factory)}`);
      }
    }
    const failed = history.failedMigrationNames;
    const edited = history.editedMigrationNames;
    const upToDate = pending.length + failed.length + edited.length + missingLocally.length === 0 && drift === null;
    return { pending, applied, failed, edited, missingLocally, drift, driftChecked, upToDate };
  });
}

/**
 * `prisma migrate resolve`: after fixing a failed migration, mark it rolled back (deploy runs
 * it again) or applied (you applied its effect by hand).
 */
export async function migrateResolve(options: MigrationOptions & ({ rolledBack: string } | { applied: string })): Promise<void> {
  await withEngine(options, async ({ engine, migrationsList }) => {
    if ("rolledBack" in options) {
      await engine.markMigrationRolledBack({ migrationName: options.rolledBack });
      options.log?.(`Marked ${options.rolledBack} as rolled back`);
    } else {
      await engine.markMigrationApplied({ migrationName: options.applied, migrationsList });
      options.log?.(`Marked ${options.applied} as applied`);
    }
  });
}

// ---------------------------------------------------------------------------------------------
// Migration files

const LOCKFILE = "migration_lock.toml";
// What the Prisma CLI writes; it checks the provider against the schema's.
const LOCKFILE_CONTENT = `# Please do not edit this file manually\n# It should be added in your version-control system (e.g., Git)\nprovider = "postgresql"\n`;
const FILTERS: SchemaFilter = { externalTables: [], externalEnums: [] };

async function readMigrationsList(baseDir: string): Promise<MigrationList> {
  const entries = await fsp.readdir(baseDir, { withFileTypes: true }).catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return [];
    throw error;
  });
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => e.name).sort();
  const migrationDirectories: MigrationList["migrationDirectories"] = await Promise.all(
    dirs.map(async (dir) => {
      const file = path.join(baseDir, dir, "migration.sql");
      const content = await fsp.readFile(file, "utf8").then(
        (value) => ({ tag: "ok" as const, value }),
        (error: Error) => ({ tag: "error" as const, value: `${file}: ${error.message}` }),
      );
      return { path: dir, migrationFile: { path: "migration.sql", content } };
    }),
  );
  const lockContent = await fsp.readFile(path.join(baseDir, LOCKFILE), "utf8").catch(() => null);
  return { baseDir, lockfile: { path: LOCKFILE, content: lockContent }, shadowDbInitScript: "", migrationDirectories };
}

// ---------------------------------------------------------------------------------------------
// The WebAssembly schema engine

type EngineRuntime = typeof import("@prisma/schema-engine-wasm");

declare global {
  // Read by the engine's JS glue (schema_engine_bg.js) when Rust panics.
  var PRISMA_WASM_PANIC_REGISTRY: { get(): string; set_message(message: string): void } | undefined;
}

let runtime: Promise<EngineRuntime> | undefined;
const engineTimers = new Set<NodeJS.Timeout>();
let lastPanic = "";
let poisoned: string | undefined;

function loadRuntime(): Promise<EngineRuntime> {
  runtime ??= (async () => {
    // Must exist before the module is instantiated.
    globalThis.PRISMA_WASM_PANIC_REGISTRY = { get: () => lastPanic, set_message: (message) => (lastPanic = message) };
    // The package's entry imports the .wasm as an ES module, which Node cannot do: load the JS glue
    // and instantiate the wasm ourselves. (The schema_engine_bg.wasm that the prisma CLI ships
    // has no JS glue of its own: not that one.)
    const glue = createRequire(import.meta.url).resolve("@prisma/schema-engine-wasm/schema_engine_bg");
    const rt = (await import(/* @vite-ignore */ pathToFileURL(glue).href)) as EngineRuntime & {
      __wbg_set_wasm(exports: WebAssembly.Exports): void;
    };
    const bytes = await fsp.readFile(path.join(path.dirname(glue), "schema_engine_bg.wasm"));
    // The engine arms 10 s timeouts and never clears them, which kept every `dev` process alive
    // ~10 s after its work: record them so withEngine can clear the leftovers.
    const imports: WebAssembly.ModuleImports = { ...(rt as unknown as WebAssembly.ModuleImports) };
    for (const key of Object.keys(imports).filter((k) => k.startsWith("__wbg_setTimeout_"))) {
      imports[key] = (callback: () => void, ms: number) => {
        const timer = setTimeout(() => {
          engineTimers.delete(timer);
          callback();
        }, ms >>> 0);
        engineTimers.add(timer);
        return timer;
      };
    }
    const { instance } = await WebAssembly.instantiate(bytes, { "./schema_engine_bg.js": imports });
    rt.__wbg_set_wasm(instance.exports);
    (instance.exports.__wbindgen_start as () => void)();
    return rt;
  })();
  runtime.catch(() => (runtime = undefined));
  return runtime;
}

// The JS glue holds a single wasm instance per process: run one engine at a time.
let queue: Promise<unknown> = Promise.resolve();

type EngineContext = {
  engine: SchemaEngine;
  migrationsList: MigrationList;
  schema: SchemasContainer;
  factory: MigrationAdapterFactory;
};

function withEngine<T>(options: MigrationOptions, fn: (ctx: EngineContext) => Promise<T>): Promise<T> {
  const result = queue.then(async () => {
    if (poisoned) throw new Error(`The schema engine panicked earlier in this process (${poisoned}); restart the process.`);
    const schemaPath = path.resolve(options.schemaPath ?? DEFAULT_SCHEMA_PATH);
    const migrationsDir = path.resolve(options.migrationsDir ?? DEFAULT_MIGRATIONS_DIR);
    const [rt, schemaText, migrationsList] = await Promise.all([
      loadRuntime(),
      fsp.readFile(schemaPath, "utf8"),
      readMigrationsList(migrationsDir),
    ]);
    const factory = new MigrationAdapterFactory(options.databaseUrl);
    const bound = bindMigrationAwareSqlAdapterFactory(factory);
    factory.errorRegistry = bound.errorRegistry;
    const schema = { files: [{ path: schemaPath, content: schemaText }] };
    let engine: SchemaEngine | undefined;
    try {
      await factory.dropStaleShadowDatabases();
      // The log callback receives the engine's tracing as JSON lines; nothing in it is needed here.
      engine = await rt.SchemaEngine.new({ datamodels: [[schemaPath, schemaText]] }, () => {}, bound);
      return await fn({ engine, migrationsList, schema, factory });
    } catch (error) {
      if (error instanceof WebAssembly.RuntimeError) {
        // A Rust panic aborts inside the wasm instance; its memory can no longer be trusted.
        poisoned = lastPanic || error.message;
        throw new Error(`The schema engine panicked: ${poisoned}`, { cause: error });
      }
      throw new Error(errorMessage(error, factory), { cause: error });
    } finally {
      try {
        engine?.free();
      } catch {
        // already freed by a panic
      }
      await factory.close();
      for (const timer of engineTimers) clearTimeout(timer);
      engineTimers.clear();
    }
  });
  queue = result.catch(() => {});
  return result;
}

/**
 * Engine errors carry a message followed by a Rust span trace (dropped here); JS errors thrown in
 * adapter code come back as "External error id#N", resolved through the adapter's registry.
 */
function errorMessage(error: unknown, factory: MigrationAdapterFactory): string {
  const raw = error instanceof Error ? error.message : typeof error === "object" && error && "message" in error ? String(error.message) : String(error);
  const trace = /^\s+0: /m.exec(raw);
  let message = (trace ? raw.slice(0, trace.index) : raw).trim();
  message = message.replace(/External error id#(\d+)/g, (whole, id: string) => {
    const record = factory.errorRegistry.consumeError(Number(id));
    if (!record) return whole;
    return record.error instanceof Error ? record.error.message : String(record.error);
  });

  // A script that failed: the engine only says "external connector error" and a short summary.
  const failure = factory.lastScriptFailure;
  const applying = failure && !failure.shadow ? /migration_name="([^"]+)"/.exec(raw)?.[1] : undefined;
  if (failure) {
    const { error: pgError, script } = failure;
    const line = pgError.position ? ` (line ${script.slice(0, Number(pgError.position) - 1).split("\n").length})` : "";
    const detail =
      `${pgError.message}${line}, SQLSTATE ${pgError.code}` +
      (pgError.detail ? `\nDetail: ${pgError.detail}` : "") +
      (pgError.hint ? `\nHint: ${pgError.hint}` : "");
    message = applying ? `Migration ${applying} failed: ${detail}` : message.replace(/external connector error[\s\S]*$/, detail);
  }
  // Just failed, or left failed by an earlier run (P3009): say what to do.
  const failed = applying ?? /The `([^`]+)` migration started at .* failed/.exec(message)?.[1];
  if (failed) {
    message +=
      `\n\nThis runner applies each migration as one transaction, so a migration that failed here left none of ` +
      `its SQL behind; \`_prisma_migrations\` records ${failed} as failed, and deploy stops there until it is resolved. ` +
      `Fix its migration.sql, then run\n  ${RESOLVE_COMMAND} ${failed}\nand deploy again.`;
  }
  return message;
}

// ---------------------------------------------------------------------------------------------
// The driver adapter the engine talks through: @prisma/adapter-pg with three fixes.

class MigrationAdapterFactory implements SqlMigrationAwareDriverAdapterFactory {
  readonly provider = "postgres";
  readonly adapterName = "@prisma/adapter-pg";
  private readonly pools = new Set<pg.Pool>();
  /** The Postgres error of the last failed script (the engine keeps only a generic message). */
  lastScriptFailure?: ScriptFailure;
  /** Set once bound: where "External error id#N" records are kept. */
  errorRegistry: ErrorRegistry = { consumeError: () => undefined };
  private readonly shadowDatabases = new Set<string>();
  /** Shadow databases of this database carry its hash, so concurrent runs on other databases are left alone. */
  private readonly shadowPrefix: string;

  constructor(private readonly databaseUrl: string) {
    const database = new URL(databaseUrl).pathname.slice(1) || "postgres";
    this.shadowPrefix = `assay_shadow_${crypto.createHash("sha256").update(database).digest("hex").slice(0, 8)}_`;
  }

  async connect(): Promise<SqlDriverAdapter> {
    return (await this.adapterFor(this.databaseUrl, false)).adapter;
  }

  /**
   * The adapter's own shadow database lands on the main database when given a connection string,
   * and cannot be dropped while its pool is open: create our own, and on dispose close its pool
   * first, then drop it WITH (FORCE).
   */
  async connectToShadowDb(): Promise<SqlDriverAdapter> {
    const name = this.shadowPrefix + crypto.randomBytes(6).toString("hex");
    await this.admin((client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
    this.shadowDatabases.add(name);
    const url = new URL(this.databaseUrl);
    url.pathname = `/${name}`;
    const { adapter, pool } = await this.adapterFor(url.toString(), true);
    adapter.dispose = async () => {
      await this.endPool(pool);
      await this.dropShadowDatabase(name);
    };
    return adapter;
  }

  /** A panic kills the process before dispose; leftovers of this database go at the next run. */
  async dropStaleShadowDatabases(): Promise<void> {
    const names = await this.admin(async (client) => {
      const { rows } = await client.query<{ datname: string }>("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", [this.shadowPrefix]);
      return rows.map((r) => r.datname);
    });
    for (const name of names) {
      // Without FORCE: a shadow database in use belongs to a run in progress, not a dead one.
      await this.admin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)}`)).catch(() => {});
    }
  }

  async appliedMigrationNames(): Promise<string[]> {
    return this.admin(async (client) => {
      const { rows } = await client.query<{ migration_name: string }>(
        "SELECT migration_name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL ORDER BY started_at, migration_name",
      );
      return rows.map((r) => r.migration_name);
    });
  }

  /** Ends every pool: an open pg Pool keeps the process alive ~10 s after the work is done. */
  async close(): Promise<void> {
    await Promise.all([...this.pools].map((pool) => this.endPool(pool)));
    for (const name of this.shadowDatabases) await this.dropShadowDatabase(name).catch(() => {});
  }

  private async dropShadowDatabase(name: string): Promise<void> {
    await this.admin((client) => client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`));
    this.shadowDatabases.delete(name);
  }

  private async endPool(pool: pg.Pool): Promise<void> {
    if (!this.pools.delete(pool)) return;
    await pool.end();
  }

  private async admin<T>(fn: (client: pg.Client) => Promise<T>): Promise<T> {
    const client = new pg.Client({ connectionString: this.databaseUrl });
    await client.connect();
    try {
      return await fn(client);
    } finally {
      await client.end();
    }
  }

  private async adapterFor(connectionString: string, shadow: boolean): Promise<{ adapter: SqlDriverAdapter; pool: pg.Pool }> {
    const pool = new pg.Pool({ connectionString, max: 4, idleTimeoutMillis: 500 });
    pool.on("error", () => {}); // an idle client dropped by DROP ... WITH (FORCE)
    this.pools.add(pool);
    const adapter = await new PrismaPg(pool).connect();
    reportCharColumns(adapter);
    const startTransaction = adapter.startTransaction.bind(adapter);
    adapter.startTransaction = async (isolationLevel) => reportCharColumns(await startTransaction(isolationLevel));
    // adapter-pg's executeScript splits on every ";", which breaks string literals and $$ function
    // bodies (our triggers). One simple-protocol query runs the script as one implicit
    // transaction: a failing migration leaves nothing behind.
    adapter.executeScript = async (script) => {
      try {
        await pool.query(script);
      } catch (error) {
        if (error instanceof pg.DatabaseError) this.lastScriptFailure = { error, script, shadow };
        throw toDriverAdapterError(error);
      }
    };
    return { adapter, pool };
  }
}

type ScriptFailure = { error: pg.DatabaseError; script: string; shadow: boolean };

/** Postgres errors keep their code and message, so the engine reports them as database errors. */
function toDriverAdapterError(error: unknown): unknown {
  if (error instanceof pg.DatabaseError) {
    return new DriverAdapterError({
      kind: "postgres",
      code: error.code ?? "",
      severity: error.severity ?? "ERROR",
      message: error.message,
      detail: error.detail,
      column: error.column,
      hint: error.hint,
    });
  }
  return error;
}

const PG_CHAR_OID = 18; // the one-byte "char" type of the catalogs (pg_class.relkind, pg_constraint.contype…)
const PG_TEXT_OID = 25;

type Queryable = { queryRaw(query: SqlQuery): Promise<SqlResultSet> };
type PerformIO = (query: SqlQuery) => Promise<pg.QueryArrayResult>;

/**
 * The engine's introspection reads `"char"` catalog columns. adapter-pg rejects OID 18 as an
 * unsupported type, and typing it as text makes the engine panic ("as char failed"): read the
 * value as text (OID 25), then report the column as `ColumnTypeEnum.Character`.
 * adapter-pg's (private) performIO is swapped per call on a derived object, so concurrent
 * queries on the same adapter each see their own columns.
 */
function reportCharColumns<T extends Queryable>(queryable: T): T {
  const inner = queryable as unknown as Queryable & { performIO: PerformIO };
  const originalQueryRaw = inner.queryRaw;
  const originalPerformIO = inner.performIO;
  queryable.queryRaw = async function (this: typeof inner, query: SqlQuery): Promise<SqlResultSet> {
    const charColumns: number[] = [];
    const self = this;
    const view = Object.create(self, {
      performIO: {
        value: async (q: SqlQuery) => {
          const result = await originalPerformIO.call(self, q);
          result.fields.forEach((field, index) => {
            if (field.dataTypeID === PG_CHAR_OID) {
              field.dataTypeID = PG_TEXT_OID;
              charColumns.push(index);
            }
          });
          return result;
        },
      },
    }) as typeof inner;
    const result = await originalQueryRaw.call(view, query);
    for (const index of charColumns) result.columnTypes[index] = ColumnTypeEnum.Character;
    return result;
  };
  return queryable;
}
