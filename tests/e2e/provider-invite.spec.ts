import { expect, test } from "@playwright/test";
import { createAudit, question, readMail, signIn, uniqueProvider } from "./fixtures";

// The provider's side of an audit: an officer invites a contact, the link arrives by e-mail
// (a real SMTP server), the contact answers without an account, with autosave, submits, and
// answers a clarification; the officer sees all of it.

test("an invited provider answers with autosave, submits and answers a clarification", async ({ browser }) => {
  const officer = await (await browser.newContext()).newPage();
  await signIn(officer, "officer");
  const providerName = uniqueProvider("Invited Cloud");
  const auditUrl = await createAudit(officer, providerName);

  // Invite a contact for the Collaboration section only.
  const email = `pat-${Date.now()}@provider.example`;
  const sentAfter = Date.now();
  await officer.getByLabel("Contact's name").fill("Pat Provider");
  await officer.getByLabel("Contact's e-mail").fill(email);
  await officer.getByLabel("Collaboration").check();
  await officer.getByRole("button", { name: "Invite and e-mail the link" }).click();
  const shown = await officer.getByLabel("Invite link").inputValue();
  expect(shown).toMatch(/\/r\/[A-Za-z0-9_-]{43}$/);
  await expect(officer.getByText(`It was e-mailed to ${email}.`)).toBeVisible();

  // The link in the delivered e-mail is the one shown once.
  const mail = await readMail(email, { after: sentAfter });
  expect(mail).toContain(providerName);
  const link = /https?:\/\/\S+\/r\/[A-Za-z0-9_-]{43}/.exec(mail.replace(/=\r?\n/g, ""))?.[0];
  expect(link).toBe(shown);

  // The provider, with no account and no session.
  const provider = await (await browser.newContext()).newPage();
  const res = await provider.goto(link!);
  expect(res?.headers()["referrer-policy"]).toBe("no-referrer");
  await expect(provider.getByText("Hello Pat Provider.")).toBeVisible();
  await expect(provider.getByRole("link", { name: /Technical Capability/ })).toHaveCount(0); // not delegated
  await expect(provider.getByRole("button", { name: "Submit answers" })).toBeDisabled();
  await provider.getByRole("link", { name: "Start" }).click();
  await expect(provider.getByRole("heading", { level: 1, name: "Collaboration" })).toBeVisible();

  // Autosave: typing is enough, no button.
  const onCall = question(provider, "collab.on-call").getByRole("textbox");
  await onCall.fill("Through our shared Slack channel and the service desk.");
  await expect(provider.getByTestId("sync-status")).toHaveText("All changes saved");
  await expect(question(provider, "collab.on-call").getByText("Add an interview note")).toHaveCount(0); // internal to officers
  await provider.reload();
  await expect(question(provider, "collab.on-call").getByRole("textbox")).toHaveValue("Through our shared Slack channel and the service desk.");

  await question(provider, "collab.on-call.channels").getByRole("textbox").fill("Slack, Teams, phone, service desk");
  await question(provider, "collab.on-call.response-times").getByRole("textbox").fill("15 minutes for P1");
  await question(provider, "collab.on-call.always-available").getByRole("radio", { name: "Yes" }).check();
  await question(provider, "collab.retrospectives").getByRole("radio", { name: "Yes" }).check();
  await expect(provider.getByTestId("sync-status")).toHaveText("All changes saved");

  // One required question left: submitting lists it, with a link to it.
  await provider.getByRole("link", { name: /Back to the overview|Overview/ }).first().click();
  await expect(provider.getByText("1 required question still needs an answer")).toBeVisible();
  await provider.getByRole("link", { name: "Are you open to having quarterly roadmap discussions?" }).click();
  await question(provider, "collab.roadmap").getByRole("radio", { name: "No" }).check();
  await expect(provider.getByTestId("sync-status")).toHaveText("All changes saved");
  await provider.goto(link!);
  await provider.getByRole("button", { name: "Submit answers" }).click();
  await expect(provider.getByText(/You submitted your answers/)).toBeVisible();

  // Read-only now.
  await provider.getByRole("link", { name: "Read your answers" }).click();
  await expect(question(provider, "collab.on-call").getByRole("textbox")).toHaveCount(0);
  await expect(question(provider, "collab.on-call").getByText("Through our shared Slack channel and the service desk.")).toBeVisible();

  // The officer is told, sees the answers and the submission, and asks for a clarification.
  await officer.goto("/audits");
  await expect(officer.getByTestId("unread-count")).toBeVisible();
  await officer.goto("/notifications");
  await expect(officer.getByText(`Pat Provider submitted their answers for ${providerName}.`)).toBeVisible();
  await expect(readMail("officer@example.test", { after: sentAfter })).resolves.toContain("submitted");
  await officer.goto(auditUrl);
  await expect(officer.getByText("Pat Provider (provider) submitted their answers")).toBeVisible();
  await officer.goto(`${auditUrl}/sections/collab`);
  await expect(question(officer, "collab.on-call.response-times").getByRole("textbox").first()).toHaveValue("15 minutes for P1");
  await question(officer, "collab.on-call.response-times").getByRole("button", { name: "History" }).click();
  await expect(question(officer, "collab.on-call.response-times").getByText(/Version 1 · Pat Provider \(provider\)/)).toBeVisible();
  await question(officer, "collab.on-call.response-times").getByRole("button", { name: "Ask the provider to clarify" }).click();
  await question(officer, "collab.on-call.response-times").getByLabel("What should the provider clarify?").fill("And for P2 incidents?");
  await question(officer, "collab.on-call.response-times").getByRole("button", { name: "Send to the provider" }).click();
  await expect(question(officer, "collab.on-call.response-times").getByText(/1 open/)).toBeVisible();

  // The provider answers it, even though their answers are submitted.
  await provider.goto(link!);
  await expect(provider.getByText("And for P2 incidents?")).toBeVisible();
  await provider.getByLabel("Your reply").fill("Four hours for P2.");
  await provider.getByRole("button", { name: "Send reply" }).click();
  await expect(provider.getByText("Four hours for P2.")).toBeVisible();

  await officer.goto(auditUrl);
  await expect(officer.getByText("Four hours for P2.")).toBeVisible();
  await expect(officer.getByText("Answered").first()).toBeVisible();
});

test("unknown, revoked and guessed links show their own pages and give nothing away", async ({ browser }) => {
  const anon = await (await browser.newContext()).newPage();
  const unknown = await anon.goto(`/r/${"A".repeat(43)}`);
  expect(unknown?.status()).toBe(404);
  await expect(anon.getByRole("heading", { name: "This link does not work" })).toBeVisible();
  const api = await anon.request.put(`/api/r/${"B".repeat(43)}/answers/collab.on-call`, { data: { value: "x", baseRevision: 0 } });
  expect(api.status()).toBe(404);

  const officer = await (await browser.newContext()).newPage();
  await signIn(officer, "officer");
  const providerName = uniqueProvider("Revoked Cloud");
  await createAudit(officer, providerName);
  await officer.getByLabel("Contact's name").fill("Sam Revoked");
  await officer.getByLabel("Contact's e-mail").fill("sam@provider.example");
  await officer.getByRole("button", { name: /Invite and e-mail the link|Create the link/ }).click();
  const link = await officer.getByLabel("Invite link").inputValue();
  await officer.getByRole("button", { name: "Done" }).click();
  await officer.getByRole("button", { name: "Revoke Sam Revoked's link" }).click();
  await officer.getByRole("button", { name: "Yes, revoke" }).click();
  await expect(officer.getByRole("term").filter({ hasText: "Revoked" })).toBeVisible();

  await anon.goto(link);
  await expect(anon.getByText(/withdrawn|revoked/i).first()).toBeVisible();
  expect(await anon.content()).not.toContain(providerName);
  const save = await anon.request.put(`${new URL(link).pathname.replace("/r/", "/api/r/")}/answers/collab.on-call`, { data: { value: "x", baseRevision: 0 } });
  expect(save.status()).toBe(403);
});

test("a provider attaches a PDF to an evidence question; the officer sees and downloads it", async ({ browser }) => {
  const officer = await (await browser.newContext()).newPage();
  await signIn(officer, "officer");
  const auditUrl = await createAudit(officer, uniqueProvider("Evidence Cloud"));
  await officer.getByLabel("Contact's name").fill("Eve Evidence");
  await officer.getByLabel("Contact's e-mail").fill("eve@provider.example");
  await officer.getByLabel("Legal issues").check();
  await officer.getByRole("button", { name: /Invite and e-mail the link|Create the link/ }).click();
  const link = await officer.getByLabel("Invite link").inputValue();

  const provider = await (await browser.newContext()).newPage();
  await provider.goto(`${link}/sections/legal`);
  const dpa = question(provider, "legal.dpa");
  const pdf = Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n");
  await dpa.getByLabel(/Add a file/).setInputFiles({ name: "../../DPA 2026.pdf", mimeType: "application/pdf", buffer: pdf });
  await dpa.getByRole("button", { name: "Upload" }).click();
  const uploaded = dpa.getByRole("link", { name: "DPA 2026.pdf" });
  await expect(uploaded).toBeVisible();

  // A file whose content is not what its name says is refused, clearly.
  await dpa.getByLabel(/Add a file/).setInputFiles({ name: "contract.pdf", mimeType: "application/pdf", buffer: Buffer.from("<html><script>alert(1)</script></html>") });
  await dpa.getByRole("button", { name: "Upload" }).click();
  await expect(dpa.getByText(/not a PDF|does not match|content/i).first()).toBeVisible();
  await expect(dpa.getByRole("link", { name: "contract.pdf" })).toHaveCount(0);

  // The officer sees it on the evidence checklist and downloads the same bytes.
  await officer.goto(auditUrl);
  const file = officer.getByRole("link", { name: "DPA 2026.pdf" }).first();
  await expect(file).toBeVisible();
  const response = await officer.request.get((await file.getAttribute("href"))!);
  expect(response.status()).toBe(200);
  expect(response.headers()["content-disposition"]).toMatch(/^attachment;/);
  expect(response.headers()["x-content-type-options"]).toBe("nosniff");
  expect(Buffer.from(await response.body()).equals(pdf)).toBe(true);
});
