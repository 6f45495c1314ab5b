import { randomUUID } from "node:crypto";
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
