import { inject } from "vitest";

// Every integration test file talks to the Postgres that global-setup.ts started for this run,
// never to a database from the developer's environment.
process.env.DATABASE_URL = inject("databaseUrl");
process.env.ASSAY_ENV = "test";
process.env.LOG_LEVEL = "error";
// Signed-in requests carry a real next-auth session cookie, minted with this secret as after a
// sign-in (tests/integration/sessions.ts); the identity provider itself is never contacted.
process.env.NEXTAUTH_URL = "http://assay.test";
process.env.NEXTAUTH_SECRET = "integration-tests-session-secret-0123456789";
process.env.OIDC_ISSUER = "http://127.0.0.1:9/";
process.env.OIDC_CLIENT_ID = "assay-test";
process.env.OIDC_CLIENT_SECRET = "assay-test-secret";
