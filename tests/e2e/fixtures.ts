import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, type Page } from "@playwright/test";

export const USERS = {
  officer: { email: "officer@example.test", name: "Olivia Officer" },
  officer2: { email: "officer2@example.test", name: "Oscar Officer" },
  reviewer: { email: "reviewer@example.test", name: "Rita Reviewer" },
  admin: { email: "admin@example.test", name: "Ada Admin" },
  nobody: { email: "nobody@example.test", name: "Nora Nobody" },
} as const;

/** Signs in through the real development identity provider, as a person would. */
export async function signIn(page: Page, who: keyof typeof USERS, returnTo = "/audits") {
  const user = USERS[who];
  await page.goto(`/signin?callbackUrl=${encodeURIComponent(returnTo)}`);
  await page.getByRole("button", { name: /Sign in with/ }).click();
  // The identity provider's own page, on another origin.
  await expect(page.getByRole("heading", { name: "Assay demo sign-in" })).toBeVisible();
  await page.getByRole("button", { name: new RegExp(`^Sign in as ${user.name}`) }).click();
  await expect(page.getByText(user.name, { exact: true })).toBeVisible();
}

/** A provider name no other test uses, so specs need no shared reset. */
export function uniqueProvider(prefix = "E2E Cloud"): string {
  return `${prefix} ${randomUUID().slice(0, 8)}`;
}

/** Opens an audit as the signed-in officer and returns its URL. */
export async function createAudit(page: Page, provider: string, scope: { nfs?: boolean } = {}): Promise<string> {
  await page.goto("/audits/new");
  await page.getByLabel("Provider").fill(provider);
  await page.getByLabel("Contact person").fill("Pat Provider");
  await page.getByLabel("Contact e-mail").fill("pat@provider.example");
  if (scope.nfs) await page.getByLabel(/NFS/).check();
  await page.getByRole("button", { name: "Open audit" }).click();
  await expect(page.getByRole("heading", { level: 1, name: provider })).toBeVisible();
  return page.url();
}

/** One question's card; its answer field is the card's first textbox, the interview note the second. */
export const question = (page: Page, id: string) => page.locator(`[data-question-id="${id}"]`);

/** The newest message the SMTP sink received for `to`, waiting for it to arrive. */
export async function readMail(to: string, { after = 0, timeoutMs = 15_000 } = {}): Promise<string> {
  const { mailDir } = await import("../../playwright.config");
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const files = existsSync(mailDir) ? readdirSync(mailDir).filter((f) => f.endsWith(".eml")).sort() : [];
    for (const f of files.reverse()) {
      if (Number(f.split("-")[0]) < after) continue;
      const raw = readFileSync(path.join(mailDir, f), "utf8");
      if (new RegExp(`^To:.*${to.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}`, "im").test(raw)) return raw;
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`no mail to ${to} arrived in ${timeoutMs} ms`);
}
