import { execFileSync, spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { connect } from "node:net";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { createAudit, question, signIn, uniqueProvider } from "./fixtures";

// Fault test: Postgres goes away while someone types. The page says it is offline and will
// retry, the server answers 503 and writes nothing, and once Postgres is back every typed
// answer is saved exactly once.

const pgDir = () => path.join(process.env.E2E_DATA_DIR ?? "", "postgres");

function postmaster(): { pid: number; port: number } {
  const lines = readFileSync(path.join(pgDir(), "postmaster.pid"), "utf8").split("\n");
  return { pid: Number(lines[0]), port: Number(lines[3]) };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
  });
}

async function waitFor(check: () => Promise<boolean>, what: string, timeoutMs = 15_000) {
  for (const deadline = Date.now() + timeoutMs; Date.now() < deadline; ) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** The binary a running postmaster was started from (the app may run a copy, see embedded-postgres.ts). */
function postgresBinary(pid: number): string {
  return readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0")[0]!;
}

/** Starts the same Postgres again, on the same port, as its own daemon (scripts/test.ts stops it at the end). */
function restartPostgres(bin: string, port: number) {
  const asRoot = process.getuid?.() === 0;
  const ids = asRoot ? { uid: Number(execFileSync("id", ["-u", "postgres"]).toString()), gid: Number(execFileSync("id", ["-g", "postgres"]).toString()) } : {};
  const child = spawn(bin, ["-D", pgDir(), "-p", String(port), "-c", "listen_addresses=127.0.0.1", "-c", "unix_socket_directories="], {
    ...ids,
    detached: true,
    stdio: "ignore",
  });
  child.unref();
}

test("answers typed while the database is down are kept, retried and saved exactly once", async ({ page }) => {
  test.skip(!process.env.E2E_DATA_DIR, "needs the data dir of the app under test (npm test sets it)");
  test.setTimeout(120_000);
  await signIn(page, "officer");
  const auditUrl = await createAudit(page, uniqueProvider("Outage Cloud"));
  const auditId = new URL(auditUrl).pathname.split("/").pop()!;
  await page.goto(`${auditUrl}/sections/tech`);

  const { pid, port } = postmaster();
  const bin = postgresBinary(pid);
  process.kill(pid, "SIGINT");
  await waitFor(async () => !(await portOpen(port)), "Postgres to stop");

  const typed = {
    "tech.az.locations": "Stockholm and Frankfurt",
    "tech.services.offered": "VMs, object storage, managed Kubernetes",
  };
  for (const [id, text] of Object.entries(typed)) {
    await question(page, id).getByRole("textbox").first().fill(text);
    await question(page, id).getByRole("textbox").first().blur();
  }
  await expect(page.getByTestId("sync-status")).toContainText("Offline — will retry");
  await expect(question(page, "tech.az.locations").getByText("Offline — will retry")).toBeVisible();

  // The server says so too, and writes nothing.
  const direct = await page.request.put(`/api/audits/${auditId}/answers/tech.az.locations`, { data: { value: "direct", baseRevision: 0 } });
  expect(direct.status()).toBe(503);
  expect((await direct.json()).error.code).toBe("UNAVAILABLE");

  restartPostgres(bin, port);
  await waitFor(() => portOpen(port), "Postgres to start again");
  await expect(page.getByTestId("sync-status")).toHaveText("All changes saved", { timeout: 60_000 });

  await page.reload();
  for (const [id, text] of Object.entries(typed)) {
    await expect(question(page, id).getByRole("textbox").first()).toHaveValue(text);
    const history = await page.request.get(`/api/audits/${auditId}/answers/${id}/history`);
    const versions = (await history.json()).data as { revision: number; value: string }[];
    expect(versions.map((v) => [v.revision, v.value])).toEqual([[1, text]]);
  }
});

test("an edit the server never acknowledged survives a reload and is saved afterwards", async ({ page }) => {
  await signIn(page, "officer");
  const auditUrl = await createAudit(page, uniqueProvider("Reload Cloud"));
  await page.goto(`${auditUrl}/sections/tech`);

  // Every save fails at the network level: the edit stays pending in the browser.
  await page.route("**/api/audits/*/answers/**", (route) => route.abort("internetdisconnected"));
  const field = question(page, "tech.az.locations").getByRole("textbox").first();
  await field.fill("Typed while the network was gone");
  await field.blur();
  await expect(page.getByTestId("sync-status")).toContainText("Offline — will retry");

  // The network comes back only after the page was reloaded.
  await page.unroute("**/api/audits/*/answers/**");
  page.on("dialog", (d) => void d.accept());
  await page.reload();
  await expect(question(page, "tech.az.locations").getByRole("textbox").first()).toHaveValue("Typed while the network was gone");
  await expect(page.getByTestId("sync-status")).toHaveText("All changes saved");

  // It reached the server: a fresh page in a fresh context shows it.
  const fresh = await (await page.context().browser()!.newContext()).newPage();
  await signIn(fresh, "officer", `${new URL(auditUrl).pathname}/sections/tech`);
  await expect(question(fresh, "tech.az.locations").getByRole("textbox").first()).toHaveValue("Typed while the network was gone");
});
