import { defineConfig } from "prisma/config";

// Prisma 7 reads the datasource URL from here, not from schema.prisma. The project's own
// migration runner (scripts/db-migrate.ts) does not use this file; `prisma generate` does, and
// needs no database, so a placeholder URL is enough when DATABASE_URL is unset.
export default defineConfig({
  schema: "prisma/schema.prisma",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/assay" },
});
