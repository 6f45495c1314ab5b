import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

const oidc = { OIDC_ISSUER: "https://idp.example.com/realms/x", OIDC_CLIENT_ID: "assay", OIDC_CLIENT_SECRET: "s3cret" };
const production = {
  ASSAY_ENV: "production",
  ...oidc,
  NEXTAUTH_SECRET: "x".repeat(32),
  NEXTAUTH_URL: "https://assay.example.com",
  DATABASE_URL: "postgresql://assay:pw@db:5432/assay",
};

function problems(raw: Record<string, string | undefined>): string[] {
  try {
    parseEnv(raw);
    return [];
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
}

describe("environment", () => {
  it("runs in demo mode with nothing set", () => {
    const env = parseEnv({});
    expect(env.ASSAY_ENV).toBe("development");
    expect(env.OIDC_ISSUER).toBeUndefined();
    expect(env.ROLE_GROUPS_OFFICER).toEqual(["assay-officers"]);
  });

  it("accepts a complete production configuration", () => {
    expect(problems(production)).toEqual([]);
  });

  it.each([
    ["OIDC_ISSUER", /OIDC_ISSUER is required/],
    ["OIDC_CLIENT_SECRET", /OIDC_CLIENT_SECRET is required/],
    ["NEXTAUTH_SECRET", /NEXTAUTH_SECRET is required/],
    ["NEXTAUTH_URL", /NEXTAUTH_URL is required/],
    ["DATABASE_URL", /DATABASE_URL is required/],
  ])("refuses production without %s and names it", (name, message) => {
    expect(problems({ ...production, [name]: undefined }).join("\n")).toMatch(message);
  });

  it("refuses demo mode, weak secrets and plain http in production", () => {
    expect(problems({ ...production, ASSAY_DEMO: "1" }).join("\n")).toMatch(/demo mode is refused/);
    expect(problems({ ...production, NEXTAUTH_SECRET: "short" }).join("\n")).toMatch(/at least 32/);
    expect(problems({ ...production, NEXTAUTH_URL: "http://assay.example.com" }).join("\n")).toMatch(/https/);
  });

  it("treats empty values as unset", () => {
    expect(problems({ ...production, NEXTAUTH_SECRET: "" }).join("\n")).toMatch(/NEXTAUTH_SECRET is required/);
  });

  it("refuses half an OIDC configuration outside production too", () => {
    expect(problems({ OIDC_ISSUER: oidc.OIDC_ISSUER }).join("\n")).toMatch(/missing: OIDC_CLIENT_ID, OIDC_CLIENT_SECRET/);
  });

  it("takes mail settings together or not at all", () => {
    expect(parseEnv({}).SMTP_URL).toBeUndefined();
    const mail = parseEnv({ SMTP_URL: "smtps://assay:pw@mail.example.com:465", MAIL_FROM: "Assay <assay@example.com>" });
    expect(mail).toMatchObject({ SMTP_URL: "smtps://assay:pw@mail.example.com:465", MAIL_FROM: "Assay <assay@example.com>" });
    expect(parseEnv({ SMTP_URL: "smtp://relay:25", MAIL_FROM: "assay@example.com" }).MAIL_FROM).toBe("assay@example.com");
    expect(problems({ SMTP_URL: "smtp://relay:25" }).join("\n")).toMatch(/SMTP_URL and MAIL_FROM.*missing: MAIL_FROM/);
    expect(problems({ MAIL_FROM: "assay@example.com" }).join("\n")).toMatch(/missing: SMTP_URL/);
    expect(problems({ SMTP_URL: "https://mail.example.com", MAIL_FROM: "assay@example.com" }).join("\n")).toMatch(/SMTP_URL: use smtp:\/\/ or smtps:\/\//);
    expect(problems({ SMTP_URL: "smtp://relay:25", MAIL_FROM: "Assay" }).join("\n")).toMatch(/MAIL_FROM: use an address/);
    expect(problems({ SMTP_URL: "smtp://relay:25", MAIL_FROM: "Assay <a@example.com>\r\nBcc: x@example.com" }).join("\n")).toMatch(/MAIL_FROM/);
  });

  it("trusts X-Forwarded-For only when told how many proxies append to it", () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(0);
    expect(parseEnv({ TRUST_PROXY: "1" }).TRUST_PROXY).toBe(1);
    expect(problems({ TRUST_PROXY: "yes" }).join("\n")).toMatch(/TRUST_PROXY/);
    expect(problems({ TRUST_PROXY: "-1" }).join("\n")).toMatch(/TRUST_PROXY/);
  });

  it("parses role group lists", () => {
    expect(parseEnv({ ROLE_GROUPS_REVIEWER: "iso-auditors, grc " }).ROLE_GROUPS_REVIEWER).toEqual(["iso-auditors", "grc"]);
  });
});
