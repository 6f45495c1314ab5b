import { z } from "zod";
import { DEFAULT_ATTACHMENT_AUDIT_MAX_BYTES, DEFAULT_ATTACHMENT_MAX_BYTES } from "@/lib/attachments/limits";

// The one place that reads process.env. Parsed once; everything else imports `env`.
//
// Two ways to run:
// - production (ASSAY_ENV=production): every secret comes from the deployment; demo mode and
//   the embedded database are refused, and a missing or weak setting stops the start with the
//   name of the variable to set;
// - demo/development (default): scripts/start.ts fills in what is missing (embedded Postgres,
//   the bundled development identity provider, a generated NEXTAUTH_SECRET kept under .data/)
//   and marks the child process with ASSAY_DEMO=1 so the UI can show the demo banner.

const csv = (fallback: string) =>
  z
    .string()
    .default(fallback)
    .transform((s) =>
      s
        .split(",")
        .map((x) => x.trim())
        .filter(Boolean),
    );

// "Name <local@domain>" or "local@domain"; no line breaks (they would end the header).
const MAIL_ADDRESS = /^(?:[^<>\r\n]*<[^\s<>@]+@[^\s<>@]+>|[^\s<>@]+@[^\s<>@]+)$/;

const ZEnv = z.object({
  ASSAY_ENV: z.enum(["production", "development", "test"]).default("development"),
  ASSAY_DEMO: z
    .enum(["0", "1"])
    .default("0")
    .transform((v) => v === "1"),
  DATABASE_URL: z.url({ protocol: /^postgres(ql)?$/ }).optional(),
  NEXTAUTH_URL: z.url().optional(),
  NEXTAUTH_SECRET: z.string().optional(),
  OIDC_ISSUER: z.url().optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  /** The name on the sign-in button, e.g. "Entra ID" or "Keycloak". */
  OIDC_DISPLAY_NAME: z.string().min(1).default("your identity provider"),
  /** IdP groups that grant each role (comma-separated). See docs/SECURITY.md. */
  ROLE_GROUPS_OFFICER: csv("assay-officers"),
  ROLE_GROUPS_REVIEWER: csv("assay-reviewers"),
  ROLE_GROUPS_ADMIN: csv("assay-admins"),
  /** Port of the web server (`npm start`). */
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  /** Local state of `npm start`: the embedded database, the demo secret. */
  ASSAY_DATA_DIR: z.string().default(".data"),
  /** Where questionnaires/<slug>/<version>.yaml live. */
  QUESTIONNAIRES_DIR: z.string().default("questionnaires"),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
  /** Largest evidence file, in bytes (default 25 MiB). See docs/decisions/007-attachment-storage.md. */
  ATTACHMENT_MAX_BYTES: z.coerce
    .number()
    .int()
    .positive()
    .max(1024 ** 3, "at most 1 GiB (1073741824): larger files belong in an object store")
    .default(DEFAULT_ATTACHMENT_MAX_BYTES),
  /** Largest total of one audit's attachments, in bytes (default 500 MiB). */
  ATTACHMENT_AUDIT_MAX_BYTES: z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER).default(DEFAULT_ATTACHMENT_AUDIT_MAX_BYTES),
  /**
   * Outgoing mail (invite links, "provider submitted" notices), e.g.
   * smtps://user:pass@mail.example.com:465 or smtp://relay.internal:25. Unset: no mail is sent
   * and officers copy the link themselves. Set together with MAIL_FROM.
   */
  SMTP_URL: z.url({ protocol: /^smtps?$/, error: "use smtp:// or smtps://" }).optional(),
  /** The sender of Assay's mail: "Assay <assay@example.com>" or "assay@example.com". */
  MAIL_FROM: z
    .string()
    .trim()
    .refine((s) => MAIL_ADDRESS.test(s), "use an address, e.g. Assay <assay@example.com>")
    .optional(),
  /**
   * How many reverse proxies in front of Assay append to X-Forwarded-For (0: none, the header
   * is ignored). Only then can the invite-link rate limit tell clients apart; see
   * docs/decisions/006-invite-links.md.
   */
  TRUST_PROXY: z.coerce.number().int().min(0).max(10).default(0),
  /**
   * The deployment's signing certificate and key for evidence packages (a PKCS#12 file, .p12 or
   * .pfx) and its passphrase. Unset: demo installations sign with a generated development
   * certificate (said on the package's cover); production refuses to issue packages.
   */
  SIGNING_P12_PATH: z.string().min(1).optional(),
  SIGNING_P12_PASSPHRASE: z.string().optional(),
  /** An RFC 3161 timestamp authority; set, every package signature is timestamped by it. */
  TSA_URL: z.url({ protocol: /^https?$/, error: "use an http:// or https:// URL" }).optional(),
});


export type TEnv = z.infer<typeof ZEnv>;

export class EnvError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Assay cannot start with this configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "EnvError";
  }
}

/** Parses and checks a raw environment; throws EnvError naming every variable to fix. */
export function parseEnv(raw: Record<string, string | undefined>): TEnv {
  // Empty strings count as unset: `FOO=` in a compose file should not silently pass.
  const cleaned = Object.fromEntries(Object.entries(raw).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = ZEnv.safeParse(cleaned);
  if (!parsed.success) {
    throw new EnvError(parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  }
  const env = parsed.data;
  const problems: string[] = [];
  const oidc = ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET"] as const;
  const setOidc = oidc.filter((k) => env[k] !== undefined);
  if (setOidc.length > 0 && setOidc.length < oidc.length) {
    problems.push(
      `set all of ${oidc.join(", ")} or none (demo mode); missing: ${oidc.filter((k) => env[k] === undefined).join(", ")}`,
    );
  }
  if ((env.SMTP_URL === undefined) !== (env.MAIL_FROM === undefined)) {
    problems.push(`set both SMTP_URL and MAIL_FROM to send mail, or neither; missing: ${env.SMTP_URL === undefined ? "SMTP_URL" : "MAIL_FROM"}`);
  }
  if (env.SIGNING_P12_PASSPHRASE !== undefined && env.SIGNING_P12_PATH === undefined) {
    problems.push("SIGNING_P12_PASSPHRASE is set but SIGNING_P12_PATH is not: set the path to the PKCS#12 file too");
  }
  if (env.ASSAY_ENV === "production") {
    if (env.ASSAY_DEMO) problems.push("ASSAY_DEMO: demo mode is refused when ASSAY_ENV=production");
    for (const k of oidc) if (env[k] === undefined) problems.push(`${k} is required when ASSAY_ENV=production`);
    if (env.NEXTAUTH_SECRET === undefined) {
      problems.push("NEXTAUTH_SECRET is required when ASSAY_ENV=production (e.g. `openssl rand -base64 32`)");
    } else if (env.NEXTAUTH_SECRET.length < 32) {
      problems.push("NEXTAUTH_SECRET must be at least 32 characters");
    }
    if (env.NEXTAUTH_URL === undefined) problems.push("NEXTAUTH_URL is required when ASSAY_ENV=production");
    else if (!env.NEXTAUTH_URL.startsWith("https://"))
      problems.push("NEXTAUTH_URL must use https:// when ASSAY_ENV=production");
    if (env.OIDC_ISSUER !== undefined && !env.OIDC_ISSUER.startsWith("https://"))
      problems.push("OIDC_ISSUER must use https:// when ASSAY_ENV=production");
    if (env.DATABASE_URL === undefined)
      problems.push("DATABASE_URL is required when ASSAY_ENV=production (the embedded database is for demos)");
  }
  if (problems.length > 0) throw new EnvError(problems);
  return env;
}

let cached: TEnv | undefined;

/** The parsed environment of this process. */
export function getEnv(): TEnv {
  cached ??= parseEnv(process.env);
  return cached;
}
