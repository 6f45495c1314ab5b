import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Page } from "@playwright/test";
import { createAudit, question, signIn, uniqueProvider } from "./fixtures";

/** One question's row on the review page. */
const row = (page: Page, id: string) => page.locator(`li[id="review-${id}"]`);

test("a reviewer rates, records a verdict with a condition and signs off; the officer then sees the audit read-only; the reviewer downloads the signed package", async ({ browser }, testInfo) => {
  // Signing off, then issuing the package in the background job, takes longer than one page.
  test.setTimeout(150_000);
  // The officer opens an audit and answers two questions (through the autosave endpoint the
  // interview uses: the interview itself has its own spec); meanwhile the reviewer signs in
  // once, which is how Assay learns who they are, so that the owner can add them.
  const officer = await (await browser.newContext()).newPage();
  const reviewer = await (await browser.newContext()).newPage();
  const provider = uniqueProvider("Review Cloud");
  const answer = (url: string, questionId: string, value: string) =>
    officer.request.put(`${new URL(url).pathname.replace("/audits/", "/api/audits/")}/answers/${questionId}`, { data: { value, note: null, baseRevision: 0 } });
  const [auditUrl] = await Promise.all([
    (async () => {
      await signIn(officer, "officer");
      const url = await createAudit(officer, provider);
      for (const [id, value] of [["tech.az.locations", "Stockholm only"], ["tech.az.presentation", "single-api"]]) expect((await answer(url, id!, value!)).status()).toBe(200);
      return url;
    })(),
    signIn(reviewer, "reviewer"),
  ]);

  // The owner adds the reviewer; the overview links to the review.
  await officer.goto(auditUrl);
  await officer.getByLabel("E-mail", { exact: true }).fill("reviewer@example.test");
  await officer.getByLabel("Role in this audit").selectOption("REVIEWER");
  await officer.getByRole("button", { name: "Add member" }).click();
  await expect(officer.getByText("Rita Reviewer was added.")).toBeVisible();
  await expect(officer.getByRole("link", { name: "Review", exact: true })).toHaveAttribute("href", `${new URL(auditUrl).pathname}/review`);

  // The reviewer rates: "not acceptable" needs a note, and says so before anything is sent.
  await reviewer.goto(`${auditUrl}/review`);
  await expect(reviewer.getByRole("heading", { level: 1, name: `Review: ${provider}` })).toBeVisible();
  await expect(reviewer.getByTestId("count-unrated")).toContainText("2");
  const loc = row(reviewer, "tech.az.locations");
  await expect(loc.getByTestId("answer")).toHaveText("Stockholm only");
  await loc.getByRole("radio", { name: "Not acceptable" }).check();
  await loc.getByRole("button", { name: "Save rating" }).click();
  await expect(loc.getByText("Not saved: say why it is not acceptable")).toBeVisible();
  await loc.getByLabel(/^Note/).fill("One region only: no second site for disaster recovery.");
  await loc.getByRole("button", { name: "Save rating" }).click();
  await expect(loc.getByText(/^Saved by Rita Reviewer/)).toBeVisible();
  const presentation = row(reviewer, "tech.az.presentation");
  await expect(presentation.getByTestId("answer")).toHaveText("Single API");
  await presentation.getByRole("radio", { name: "Acceptable", exact: true }).check();
  await presentation.getByRole("button", { name: "Save rating" }).click();
  await expect(presentation.getByText(/^Saved by Rita Reviewer/)).toBeVisible();
  // The summary follows: one not acceptable, listed first under "needs attention".
  await expect(reviewer.getByTestId("count-NOT_ACCEPTABLE")).toContainText("1");
  await expect(reviewer.getByTestId("attention-NOT_ACCEPTABLE").getByRole("link", { name: "Where are your data centers located?" })).toBeVisible();

  // The page repeats one question card per question (87 here): a few of them stand for all.
  const axe = await new AxeBuilder({ page: reviewer })
    .setLegacyMode() // no extra page to merge frame results: there are no frames
    .include('section[aria-labelledby="review-summary-heading"]')
    .include('section[aria-labelledby="attention-heading"]')
    .include('li[id="review-tech.az.locations"]')
    .include('li[id="review-tech.az.presentation"]')
    .include("#verdict")
    .withTags(["wcag2a", "wcag2aa"])
    .analyze();
  expect(axe.violations.map((v) => `${v.id}: ${v.help}`)).toEqual([]);

  // The verdict, with a condition.
  const verdict = reviewer.getByRole("form", { name: "Verdict" });
  await verdict.getByRole("radio", { name: /^Suitable with conditions/ }).check();
  await verdict.getByLabel("Rationale").fill("Solid answers; the single region is the one gap.");
  await verdict.getByRole("textbox", { name: "Condition 1" }).fill("A second region in production by Q3.");
  await verdict.getByRole("button", { name: "Save the verdict" }).click();
  await expect(verdict.getByText("Verdict saved: Suitable with conditions.")).toBeVisible();

  // Sign-off, behind a confirmation that lists what is still open.
  await reviewer.getByRole("button", { name: "Sign off the audit" }).click();
  const dialog = reviewer.getByRole("alertdialog", { name: "Sign off this audit?" });
  await expect(dialog.getByTestId("sign-off-caveats")).toContainText(/\d+ required questions are unanswered/);
  await expect(dialog.getByTestId("sign-off-caveats")).not.toContainText("not rated");
  await dialog.getByRole("button", { name: "Sign off", exact: true }).click();
  await expect(reviewer.getByTestId("signed-off-banner")).toContainText("Signed off by Rita Reviewer");
  await expect(reviewer.getByRole("radio")).toHaveCount(0);
  await expect(reviewer.getByRole("button", { name: "Sign off the audit" })).toHaveCount(0);
  await expect(reviewer.getByTestId("verdict")).toContainText("A second region in production by Q3.");

  // The officer: read-only everywhere, no way to sign off.
  await officer.goto(auditUrl);
  await expect(officer.getByTestId("signed-off-banner")).toBeVisible();
  await expect(officer.getByRole("link", { name: "Read the answers" })).toBeVisible();
  // A save forced past the read-only page is refused with the reason, and changes nothing.
  const forced = await answer(auditUrl, "tech.az.locations", "Stockholm and Oslo");
  expect(forced.status()).toBe(403);
  expect(await forced.json()).toMatchObject({ error: { code: "FORBIDDEN", details: { reason: "signed_off" } } });
  await officer.goto(`${auditUrl}/sections/tech`);
  await expect(officer.getByTestId("signed-off-banner")).toBeVisible();
  await expect(question(officer, "tech.az.locations").getByText("Stockholm only")).toBeVisible();
  await expect(question(officer, "tech.az.locations").getByRole("textbox")).toHaveCount(0);
  await expect(question(officer, "tech.az.presentation").getByRole("radio")).toHaveCount(0);
  await officer.goto(`${auditUrl}/review`);
  await expect(officer.getByTestId("signed-off-banner")).toBeVisible();
  await expect(row(officer, "tech.az.locations").getByTestId("rating")).toContainText("Not acceptable");
  await expect(officer.getByRole("button", { name: /Sign off/ })).toHaveCount(0);
  await expect(officer.getByRole("radio")).toHaveCount(0);

  // The reviewer issues the evidence package; the page follows the background job until it is
  // ready, then the signed PDF downloads and poppler's pdfsig says it is valid and whole.
  await reviewer.goto(`${auditUrl}/packages`);
  await reviewer.getByRole("button", { name: "Issue evidence package" }).click();
  const pkg = reviewer.locator("li[data-package-id]").first();
  await expect(pkg).toHaveAttribute("data-state", "READY", { timeout: 90_000 });
  const shown = (await pkg.getByTitle("SHA-256 of the PDF").textContent())!.replace("SHA-256", "").trim();
  const [download] = await Promise.all([reviewer.waitForEvent("download"), pkg.getByRole("link", { name: "Download the signed PDF" }).click()]);
  const file = testInfo.outputPath("package.pdf");
  await download.saveAs(file);
  expect(createHash("sha256").update(readFileSync(file)).digest("hex")).toBe(shown);
  const sig = execFileSync("pdfsig", [file], { encoding: "utf8" });
  expect(sig).toContain("Signature is Valid.");
  expect(sig).toContain("Total document signed");

  // Without a session — all a provider has is their invite link — the package is out of reach.
  const packageId = await pkg.getAttribute("data-package-id");
  const anonymous = await (await browser.newContext()).request.get(`${new URL(auditUrl).origin}/api/packages/${packageId}/download`);
  expect(anonymous.status()).toBe(401);
});
