import AxeBuilder from "@axe-core/playwright";
import { expect, test } from "@playwright/test";
import { createAudit, question, signIn, uniqueProvider } from "./fixtures";

test("an anonymous visitor is sent to sign in", async ({ page }) => {
  await page.goto("/audits");
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await expect(page.getByRole("button", { name: /Sign in with/ })).toBeVisible();
  const health = await page.request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok", db: "ok" });
});

test("an officer runs an interview: answers, follow-ups, notes, reload, sign out", async ({ page }) => {
  await signIn(page, "officer");
  await expect(page.getByRole("heading", { name: "Audits", exact: true })).toBeVisible();

  const provider = uniqueProvider();
  const auditUrl = await createAudit(page, provider, { nfs: true });
  await expect(page.getByText("How to run this audit")).toBeVisible();
  await page.getByRole("link", { name: "Start the interview" }).click();
  await expect(page.getByRole("heading", { level: 1, name: /Technical/ })).toBeVisible();

  // A text answer saves when the field loses focus.
  const locations = question(page, "tech.az.locations");
  await locations.getByRole("textbox").first().fill("Stockholm and Gothenburg, Sweden");
  await locations.getByRole("textbox").first().blur();
  await expect(locations.getByText(/^Saved by Olivia Officer/)).toBeVisible();

  // Follow-ups appear and disappear with the parent's answer.
  const antiAffinity = question(page, "tech.iaas.anti-affinity");
  const maxSize = question(page, "tech.iaas.anti-affinity.max-group-size");
  const alternative = question(page, "tech.iaas.anti-affinity.alternative");
  await expect(maxSize).toHaveCount(0);
  await antiAffinity.getByRole("radio", { name: "Yes" }).check();
  await expect(antiAffinity.getByText(/^Saved by/)).toBeVisible();
  await expect(maxSize).toBeVisible();
  await expect(alternative).toHaveCount(0);
  await maxSize.getByRole("textbox").first().fill("40");
  await maxSize.getByRole("button", { name: "Add an interview note" }).click();
  await maxSize.getByLabel("Interview note").fill("Soft limit; ask for the hard limit in writing.");
  // Autosave: no button to press, saved shortly after the last keystroke.
  await expect(maxSize.getByText(/^Saved by/)).toBeVisible();
  await expect(page.getByTestId("sync-status")).toHaveText("All changes saved");

  await antiAffinity.getByRole("radio", { name: "No" }).check();
  await expect(antiAffinity.getByText(/^Saved by/)).toBeVisible();
  await expect(maxSize).toHaveCount(0);
  await expect(alternative).toBeVisible();

  // The hidden follow-up kept its answer: switching back shows it again.
  await antiAffinity.getByRole("radio", { name: "Yes" }).check();
  await expect(antiAffinity.getByText(/^Saved by/)).toBeVisible();
  await expect(maxSize.getByRole("textbox").first()).toHaveValue("40");

  // The NFS-only question is there because the audit's scope includes NFS.
  await expect(page.getByText(/How did you configure User ID Mapping/)).toBeVisible();

  // A wrong value is refused with a clear message and is not saved.
  await maxSize.getByRole("textbox").first().fill("forty");
  await maxSize.getByRole("textbox").first().blur();
  await expect(maxSize.getByText("Not saved: enter a number")).toBeVisible();
  await maxSize.getByRole("textbox").first().fill("40");
  await maxSize.getByRole("textbox").first().blur();

  // Everything is there after a reload.
  await page.reload();
  await expect(question(page, "tech.az.locations").getByRole("textbox").first()).toHaveValue("Stockholm and Gothenburg, Sweden");
  await expect(question(page, "tech.iaas.anti-affinity").getByRole("radio", { name: "Yes" })).toBeChecked();
  await expect(question(page, "tech.iaas.anti-affinity.max-group-size").getByRole("textbox").first()).toHaveValue("40");
  await expect(question(page, "tech.iaas.anti-affinity.max-group-size").getByLabel("Interview note")).toHaveValue(
    "Soft limit; ask for the hard limit in writing.",
  );

  // Progress counts the answers, on the overview too.
  await page.goto(auditUrl);
  await expect(page.getByTestId("overall-progress")).toContainText(/^3 of \d+ required/);
  await expect(page.getByText("answered “Where are your data centers located?”")).toBeVisible();

  const axe = await new AxeBuilder({ page }).withTags(["wcag2a", "wcag2aa"]).analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  await page.getByRole("button", { name: "Sign out" }).click();
  await expect(page.getByText("You are signed out.")).toBeVisible();
  await page.goto(auditUrl);
  await expect(page).toHaveURL(/\/signin/);
});

test("a reviewer cannot open an audit", async ({ page }) => {
  await signIn(page, "reviewer");
  await expect(page.getByRole("link", { name: "New audit" })).toHaveCount(0);
  await page.goto("/audits/new");
  await expect(page.getByText("Only compliance officers can open audits.")).toBeVisible();
  await expect(page.getByLabel("Provider")).toHaveCount(0);
});

test("someone who is not a member gets a 404 without the audit's name; a member added later can read it", async ({ browser }) => {
  const owner = await (await browser.newContext()).newPage();
  await signIn(owner, "officer");
  const provider = uniqueProvider("Secret Cloud");
  const auditUrl = await createAudit(owner, provider);

  const other = await (await browser.newContext()).newPage();
  await signIn(other, "officer2");
  const res = await other.goto(auditUrl);
  expect(res?.status()).toBe(404);
  await expect(other.getByRole("heading", { name: "Not found" })).toBeVisible();
  expect(await other.content()).not.toContain(provider);
  const section = await other.goto(`${auditUrl}/sections/tech`);
  expect(section?.status()).toBe(404);
  await other.goto("/audits");
  await expect(other.getByText(provider)).toHaveCount(0);

  // The owner answers a question and adds the reviewer, who can then read but not change the answers.
  await owner.goto(`${auditUrl}/sections/tech`);
  const locations = question(owner, "tech.az.locations").getByRole("textbox").first();
  await locations.fill("Helsinki");
  await locations.blur();
  await expect(question(owner, "tech.az.locations").getByText(/^Saved by/)).toBeVisible();
  await owner.goto(auditUrl);
  const reviewer = await (await browser.newContext()).newPage();
  await signIn(reviewer, "reviewer");
  await owner.getByLabel("E-mail", { exact: true }).fill("reviewer@example.test");
  await owner.getByLabel("Role in this audit").selectOption("REVIEWER");
  await owner.getByRole("button", { name: "Add member" }).click();
  await expect(owner.getByText("Rita Reviewer was added.")).toBeVisible();
  await reviewer.goto(auditUrl);
  await expect(reviewer.getByRole("heading", { level: 1, name: provider })).toBeVisible();
  await reviewer.getByRole("link", { name: "Read the answers" }).click();
  await expect(reviewer.getByText("You can read this audit; only its officers can change the answers.")).toBeVisible();
  await expect(question(reviewer, "tech.az.locations").getByText("Helsinki")).toBeVisible();
  await expect(question(reviewer, "tech.az.locations").getByRole("textbox")).toHaveCount(0);
  await expect(question(reviewer, "tech.iaas.anti-affinity").getByRole("radio")).toHaveCount(0);
});

test("two tabs editing the same answer never overwrite each other silently", async ({ browser }) => {
  const context = await browser.newContext();
  const first = await context.newPage();
  await signIn(first, "officer");
  const auditUrl = await createAudit(first, uniqueProvider());
  await first.goto(`${auditUrl}/sections/tech`);
  await expect(first.locator('[data-autosave="ready"]')).toHaveCount(1);
  const second = await context.newPage();
  await second.goto(`${auditUrl}/sections/tech`);
  // The second tab has loaded and picked up any edits left in storage before the first edits:
  // otherwise it would adopt the first tab's pending edit and save it itself.
  await expect(second.locator('[data-autosave="ready"]')).toHaveCount(1);

  const inFirst = question(first, "tech.az.locations").getByRole("textbox").first();
  await inFirst.fill("Frankfurt");
  await inFirst.blur();
  await expect(question(first, "tech.az.locations").getByText(/^Saved by/)).toBeVisible();

  // The second tab still has the page it loaded before that save.
  const inSecond = question(second, "tech.az.locations").getByRole("textbox").first();
  await inSecond.fill("Amsterdam");
  await inSecond.blur();
  const conflict = question(second, "tech.az.locations").getByRole("alert");
  await expect(conflict).toContainText("saved this answer while you were editing it");
  await expect(conflict).toContainText("Frankfurt");
  await expect(conflict).toContainText("Amsterdam");
  await conflict.getByRole("button", { name: "Keep mine" }).click();
  await expect(question(second, "tech.az.locations").getByText(/^Saved by/)).toBeVisible();

  await first.reload();
  await expect(question(first, "tech.az.locations").getByRole("textbox").first()).toHaveValue("Amsterdam");
});
