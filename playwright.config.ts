import os from "node:os";
import path from "node:path";
import { defineConfig, devices } from "@playwright/test";
import { chromiumExecutable } from "./scripts/lib/chromium";

// The app under test is the real thing: scripts/start.ts with the production build, its own
// embedded Postgres in a temporary data dir and the bundled development identity provider.
// `npm test` picks a free port and data dir; these defaults serve `playwright test` run alone.
const port = Number(process.env.E2E_PORT ?? 3199);
const dataDir = process.env.E2E_DATA_DIR ?? path.join(os.tmpdir(), `assay-e2e-${port}`);
const baseURL = `http://localhost:${port}`;
// A real SMTP server that keeps what Assay sends, for tests that follow e-mailed links.
export const smtpPort = Number(process.env.E2E_SMTP_PORT ?? port + 1);
export const mailDir = process.env.E2E_MAIL_DIR ?? path.join(dataDir, "mail");
const executablePath = chromiumExecutable();

export default defineConfig({
  testDir: "tests/e2e",
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [["list"], ["json"]],
  outputDir: "test-results/playwright",
  use: {
    baseURL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    ...devices["Desktop Chrome"],
    launchOptions: {
      executablePath,
      // Without these Chromium keeps trying to reach Google's services, which this machine
      // cannot (see the env notes); they change nothing in how pages behave.
      args: ["--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic", ...(process.getuid?.() === 0 ? ["--no-sandbox"] : [])],
    },
  },
  webServer: [
    {
      command: "node_modules/.bin/tsx tests/e2e/smtp-sink.ts",
      port: smtpPort,
      gracefulShutdown: { signal: "SIGINT", timeout: 5_000 },
      reuseExistingServer: false,
      env: { E2E_SMTP_PORT: String(smtpPort), E2E_MAIL_DIR: mailDir },
    },
    {
      command: "node_modules/.bin/tsx --conditions=react-server scripts/start.ts",
      url: `http://127.0.0.1:${port}/api/health`,
      timeout: 240_000,
      // Ctrl+C, not a kill: the start script then stops the web server and its Postgres.
      gracefulShutdown: { signal: "SIGINT", timeout: 15_000 },
      reuseExistingServer: false,
      stdout: "pipe",
      stderr: "pipe",
      // Empty values count as unset: the tests never touch a database or IdP configured in the
      // developer's environment, only their own.
      env: {
        PORT: String(port),
        ASSAY_DATA_DIR: dataDir,
        NEXTAUTH_URL: baseURL,
        LOG_LEVEL: "warn",
        ASSAY_ENV: "",
        DATABASE_URL: "",
        NEXTAUTH_SECRET: "",
        OIDC_ISSUER: "",
        OIDC_CLIENT_ID: "",
        OIDC_CLIENT_SECRET: "",
        SMTP_URL: `smtp://127.0.0.1:${smtpPort}`,
        MAIL_FROM: "Assay <assay@example.test>",
      },
    },
  ],
});
