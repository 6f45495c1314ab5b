import { inject } from "vitest";

// Every integration test file talks to the Postgres that global-setup.ts started for this run,
// never to a database from the developer's environment.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.ASSAY_ENV = "test";
process.env.LOG_LEVEL = "error";
