import pg from "pg";

/**
 * Empties every application table (everything in `public` except `_prisma_migrations`, so the
 * schema stays migrated) and restarts their sequences.
 *
 * Invariant: integration test files share one database and run in parallel, so tests never
 * assume an empty table — they make unique data with tests/factories and look only at their
 * own rows. Call this only in a suite that counts rows, and only where no other file writes at
 * the same time (it wipes their data too).
 *
 * TRUNCATE is not refused by the immutability triggers on questionnaire_version and audit_event:
 * they guard UPDATE and DELETE only.
 */
export async function resetDatabase(databaseUrl: string): Promise<void> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ name: string }>(
      `SELECT format('%I.%I', schemaname, tablename) AS name FROM pg_tables
        WHERE schemaname = 'public' AND tablename <> '_prisma_migrations'`,
    );
    if (rows.length > 0) {
      await client.query(`TRUNCATE ${rows.map((r) => r.name).join(", ")} RESTART IDENTITY CASCADE`);
    }
  } finally {
    await client.end();
  }
}
