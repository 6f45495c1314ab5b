import "server-only";
import { randomUUID } from "node:crypto";
import nodemailer from "nodemailer";
import SMTPTransport from "nodemailer/lib/smtp-transport";
import { getEnv } from "@/lib/env";
import { log } from "@/lib/log";

// Outgoing mail through one SMTP server (SMTP_URL), from one sender (MAIL_FROM).
//
// Invariant: mail can carry invite links, and a link is a credential. Nothing here logs a
// message's body, subject, full recipient or the SMTP URL (it holds the SMTP password): logs
// name the kind of mail and the recipient's domain only.

export interface TMailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Where replies go, e.g. the officer who sent an invite (MAIL_FROM is often a no-reply box). */
  replyTo?: string;
  /** For logs only, e.g. "invite". */
  kind: string;
}

export interface TMailer {
  send(message: TMailMessage): Promise<void>;
  close(): void;
}

export type TSendResult = { sent: true } | { sent: false; error: string };

/**
 * A mailer for an explicit SMTP URL and sender. Tests and scripts use this; the app uses
 * getMailer(), which reads the environment.
 */
export function createMailer({ smtpUrl, from }: { smtpUrl: string; from: string }): TMailer {
  // Short timeouts: an officer waits for this in a server action (nodemailer's defaults are
  // minutes). `url` is parsed by the transport; the options beside it still apply.
  const transport = nodemailer.createTransport(
    new SMTPTransport({ url: smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000, logger: false }),
  );
  return {
    async send(m) {
      await transport.sendMail({ from, to: m.to, replyTo: m.replyTo, subject: m.subject, text: m.text, html: m.html });
    },
    close: () => transport.close(),
  };
}

// One transport per process (kept on globalThis so dev reloads do not open new ones), rebuilt
// only if the configuration differs.
const globalForMail = globalThis as unknown as { assayMailer?: { key: string; mailer: TMailer } };

/** The mailer configured by SMTP_URL and MAIL_FROM, or null when mail is not configured. */
export function getMailer(): TMailer | null {
  const { SMTP_URL, MAIL_FROM } = getEnv();
  if (!SMTP_URL || !MAIL_FROM) return null;
  const key = `${SMTP_URL}\n${MAIL_FROM}`;
  if (globalForMail.assayMailer?.key !== key) {
    globalForMail.assayMailer?.mailer.close();
    globalForMail.assayMailer = { key, mailer: createMailer({ smtpUrl: SMTP_URL, from: MAIL_FROM }) };
  }
  return globalForMail.assayMailer.mailer;
}

export function isMailConfigured(): boolean {
  const { SMTP_URL, MAIL_FROM } = getEnv();
  return Boolean(SMTP_URL && MAIL_FROM);
}

/**
 * Sends one message and reports the outcome instead of throwing: callers send after their
 * transaction has committed, and a failed mail must not undo (or hide) what was saved.
 * `mailer` undefined: the configured one; null: mail is off.
 */
export async function sendMail(message: TMailMessage, mailer: TMailer | null = getMailer()): Promise<TSendResult> {
  const toDomain = recipientDomain(message.to);
  if (!mailer) return { sent: false, error: "E-mail is not set up on this Assay (SMTP_URL, MAIL_FROM)." };
  try {
    await mailer.send(message);
    log.info("mail.sent", { kind: message.kind, toDomain });
    return { sent: true };
  } catch (e) {
    const ref = randomUUID().slice(0, 8);
    // Only the error's codes: SMTP replies often quote the full recipient address.
    const err = e as { name?: string; code?: string; responseCode?: number; command?: string };
    log.warn("mail.failed", { kind: message.kind, toDomain, ref, name: err.name, code: err.code, responseCode: err.responseCode, command: err.command });
    const refused = typeof err.responseCode === "number" && err.responseCode >= 500 && err.command?.startsWith("RCPT");
    return {
      sent: false,
      error: refused ? `The mail server refused this address (ref ${ref}).` : `The e-mail could not be sent (ref ${ref}).`,
    };
  }
}

export function recipientDomain(address: string): string {
  const at = address.lastIndexOf("@");
  return at === -1 ? "(none)" : address.slice(at + 1).replace(/>.*$/, "").toLowerCase();
}
