import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { reissueInvite } from "@/lib/invites/reissue-invite";
import { resolveInvite } from "@/lib/invites/resolve-invite";
import { createMailer, sendMail, type TMailer } from "@/lib/mail/send-mail";
import { inviteEmail } from "@/lib/mail/templates";
import { createTestAudit, createUser } from "../factories";

// Mail goes through a real SMTP server (smtp-server on 127.0.0.1, a port the OS picks). The
// environment is parsed once per process (lib/env.ts), so the tests hand createInvite a mailer
// built for this server (createMailer); the app builds the same from SMTP_URL and MAIL_FROM.
// This file's environment has no SMTP at all, which is the "mail off" case.
delete process.env.SMTP_URL;
delete process.env.MAIL_FROM;

interface TReceived {
  mailFrom: string;
  rcptTo: string[];
  raw: string;
}

const received: TReceived[] = [];
let server: SMTPServer;
let port: number;
let mailer: TMailer;
const FROM = "Assay <assay@assay.example>";

beforeAll(async () => {
  server = new SMTPServer({
    secure: false,
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        received.push({
          mailFrom: session.envelope.mailFrom ? session.envelope.mailFrom.address : "",
          rcptTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString("utf8"),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.server.address() as AddressInfo).port;
  mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM });
});

afterAll(async () => {
  mailer?.close();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

/** The headers of a raw message, unfolded, names lower-cased. */
function headersOf(raw: string): Map<string, string> {
  const head = raw.slice(0, raw.indexOf("\r\n\r\n")).replace(/\r\n[ \t]+/g, " ");
  return new Map(head.split("\r\n").map((line) => [line.slice(0, line.indexOf(":")).toLowerCase(), line.slice(line.indexOf(":") + 1).trim()]));
}

/** The decoded body of the part with this content type (multipart/alternative, QP or base64 or 7bit). */
function partOf(raw: string, type: "text/plain" | "text/html"): string {
  const boundary = /boundary="?([^";\r\n]+)"?/i.exec(raw)?.[1];
  const parts = boundary ? raw.split(`--${boundary}`) : [raw];
  const part = parts.find((p) => new RegExp(`content-type:\\s*${type}`, "i").test(p));
  if (!part) throw new Error(`no ${type} part`);
  const sep = part.indexOf("\r\n\r\n");
  const head = part.slice(0, sep);
  const body = part.slice(sep + 4);
  const encoding = /content-transfer-encoding:\s*([\w-]+)/i.exec(head)?.[1]?.toLowerCase();
  if (encoding === "base64") return Buffer.from(body.replace(/\s+/g, ""), "base64").toString("utf8");
  if (encoding === "quoted-printable") {
    const bytes = body.replace(/=\r\n/g, "").replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
    return Buffer.from(bytes, "latin1").toString("utf8");
  }
  return body;
}

async function waitForMessages(n: number) {
  for (let i = 0; i < 50 && received.length < n; i++) await new Promise((r) => setTimeout(r, 20));
}

describe("invite e-mail", () => {
  it("sends the link to the contact, from MAIL_FROM, replying to the officer; the link's token resolves to the invite", async () => {
    const owner = await createUser(["OFFICER"], "Olivia Officer");
    const audit = await createTestAudit(owner);
    const providerName = (await getDb().audit.findUniqueOrThrow({ where: { id: audit.id } })).providerName;
    const before = received.length;

    const issued = await createInvite({
      actor: owner,
      input: { auditId: audit.id, name: "Dana Provider", email: "dana@provider.example", sections: ["legal"], expiresInDays: 10 },
      mailer,
    });
    expect(issued).toMatchObject({ emailed: true });
    expect(issued.emailError).toBeUndefined();
    await waitForMessages(before + 1);
    expect(received).toHaveLength(before + 1);
    const message = received.at(-1)!;

    expect(message.mailFrom).toBe("assay@assay.example");
    expect(message.rcptTo).toEqual(["dana@provider.example"]);
    const headers = headersOf(message.raw);
    expect(headers.get("from")).toBe(FROM);
    expect(headers.get("to")).toBe("dana@provider.example");
    expect(headers.get("reply-to")).toBe(owner.email);
    expect(headers.get("subject")).toBe(`Security questionnaire for ${providerName}: please answer by ${issued.invite.expiresAt.toISOString().slice(0, 10)}`);

    const text = partOf(message.raw, "text/plain");
    const html = partOf(message.raw, "text/html");
    expect(text).toContain(issued.url);
    expect(html).toContain(`href="${issued.url}"`);
    expect(text).toContain(owner.name!);
    expect(text).toContain(providerName);
    expect(text).toContain("Legal"); // the delegated section, by title
    expect(text).toContain(issued.invite.expiresAt.toISOString().slice(0, 10));

    const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(text)?.[1];
    expect(token).toBe(issued.token);
    expect((await resolveInvite(token!))?.id).toBe(issued.invite.id);
  });

  it("a re-issued link is e-mailed too, and only the new link works", async () => {
    const owner = await createUser(["OFFICER"]);
    const audit = await createTestAudit(owner);
    const old = await createInvite({ actor: owner, input: { auditId: audit.id, name: "Dana", email: "dana@provider.example" }, mailer: null });
    const before = received.length;
    const fresh = await reissueInvite({ actor: owner, input: { auditId: audit.id, inviteId: old.invite.id }, mailer });
    expect(fresh.emailed).toBe(true);
    await waitForMessages(before + 1);
    const token = /\/r\/([A-Za-z0-9_-]{43})/.exec(partOf(received.at(-1)!.raw, "text/plain"))?.[1];
    expect(token).toBe(fresh.token);
    expect((await resolveInvite(old.token))?.state).toBe("revoked");
    expect((await resolveInvite(token!))?.state).toBe("active");
  });

  it("escapes what people typed: HTML in the body, line breaks in the subject", async () => {
    const content = inviteEmail({
      respondentName: "<script>alert(1)</script>",
      inviterName: "O'Brien & Co",
      inviterEmail: "o@assay.example",
      providerName: "Evil\r\nBcc: victim@example.com",
      url: "https://assay.example/r/x",
      expiresAt: new Date("2026-12-01T00:00:00Z"),
      sectionTitles: [],
    });
    expect(content.subject).not.toMatch(/[\r\n]/);
    const before = received.length;
    expect(await sendMail({ ...content, to: "x@provider.example", kind: "test" }, mailer)).toEqual({ sent: true });
    await waitForMessages(before + 1);
    const message = received.at(-1)!;
    expect(message.rcptTo).toEqual(["x@provider.example"]);
    expect(headersOf(message.raw).has("bcc")).toBe(false);
    const html = partOf(message.raw, "text/html");
    expect(html).not.toContain("<script>");
    expect(html).toContain("&lt;script&gt;");
    expect(html).toContain("O&#39;Brien &amp; Co");
  });
});

describe("without mail", () => {
  it("with SMTP unset nothing is sent and the result says emailed: false", async () => {
    const owner = await createUser(["OFFICER"]);
    const audit = await createTestAudit(owner);
    const before = received.length;
    // No mailer given: the configured one, and this environment configures none.
    const issued = await createInvite({ actor: owner, input: { auditId: audit.id, name: "Dana", email: "dana@provider.example" } });
    expect(issued.emailed).toBe(false);
    expect(issued.emailError).toBeUndefined();
    await new Promise((r) => setTimeout(r, 100));
    expect(received).toHaveLength(before);
    expect((await resolveInvite(issued.token))?.state).toBe("active");
  });

  it("a mail server that is down does not undo the invite; the officer is told, without the server's details", async () => {
    const owner = await createUser(["OFFICER"]);
    const audit = await createTestAudit(owner);
    // A port that was just free: nothing listens there.
    const probe = new SMTPServer({ logger: false });
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const deadPort = (probe.server.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const dead = createMailer({ smtpUrl: `smtp://127.0.0.1:${deadPort}`, from: FROM });
    try {
      const issued = await createInvite({ actor: owner, input: { auditId: audit.id, name: "Dana", email: "dana@provider.example" }, mailer: dead });
      expect(issued.emailed).toBe(false);
      expect(issued.emailError).toMatch(/could not be sent \(ref [0-9a-f]{8}\)/);
      expect(issued.emailError).not.toContain(String(deadPort));
      expect((await resolveInvite(issued.token))?.state).toBe("active");
      expect((await getDb().auditEvent.findMany({ where: { auditId: audit.id } })).map((e) => e.action)).toEqual(["audit.created", "invite.created"]);
    } finally {
      dead.close();
    }
  });
});
