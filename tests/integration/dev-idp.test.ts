import { createHash, createPublicKey, randomBytes, verify, type JsonWebKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { DemoUser, DevIdentityProvider } from "@/lib/auth/dev-idp";

// A real authorization-code + PKCE flow against the bundled development OpenID Provider, driven
// with plain fetch the way a browser and next-auth would: manual redirects, a hand-kept cookie
// jar, client_secret_basic at the token endpoint, the ID token checked against the JWKS.

const APP_ORIGIN = "http://127.0.0.1:3999";
const REDIRECT_URI = `${APP_ORIGIN}/api/auth/callback/oidc`;
const SCOPE = "openid email profile groups";

interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  code_challenge_methods_supported: string[];
  scopes_supported: string[];
  claims_supported: string[];
  token_endpoint_auth_methods_supported: string[];
  response_types_supported: string[];
}

let idp: DevIdentityProvider;
let demoUsers: readonly DemoUser[];
let discovery: Discovery;
const logged: { warn: string[]; error: unknown[] } = { warn: [], error: [] };
const consoleSpies = (["warn", "info", "error", "log"] as const).map((method) => vi.spyOn(console, method));

beforeAll(async () => {
  // Imported here, after the console spies, so a warning printed while oidc-provider loads is seen.
  const devIdp = await import("@/lib/auth/dev-idp");
  demoUsers = devIdp.DEMO_USERS;
  idp = await devIdp.startDevIdentityProvider({
    port: 0,
    host: "127.0.0.1",
    redirectUri: REDIRECT_URI,
    logger: {
      warn: (message) => logged.warn.push(message),
      error: (message, error) => logged.error.push([message, error]),
    },
  });
  discovery = (await (await fetch(`${idp.issuer}/.well-known/openid-configuration`)).json()) as Discovery;
});

afterAll(async () => {
  await idp?.stop();
  for (const spy of consoleSpies) spy.mockRestore();
});

function user(email: string): DemoUser {
  const found = demoUsers.find((candidate) => candidate.email === email);
  if (!found) throw new Error(`no demo user ${email}`);
  return found;
}

// --- a minimal browser: cookie jar + manual redirects ---------------------------------------------

class CookieJar {
  readonly #cookies = new Map<string, { name: string; value: string; path: string }>();

  store(response: Response) {
    for (const header of response.headers.getSetCookie()) {
      const [pair = "", ...attributes] = header.split(";");
      const eq = pair.indexOf("=");
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      let path = "/";
      let expired = value === "";
      for (const attribute of attributes) {
        const [key = "", attrValue = ""] = attribute.split("=");
        const lower = key.trim().toLowerCase();
        if (lower === "path") path = attrValue.trim() || "/";
        if (lower === "max-age" && Number(attrValue) <= 0) expired = true;
        if (lower === "expires" && Date.parse(attrValue) <= Date.now()) expired = true;
      }
      const id = `${name};${path}`;
      if (expired) this.#cookies.delete(id);
      else this.#cookies.set(id, { name, value, path });
    }
  }

  header(url: string): string {
    const path = new URL(url).pathname;
    return [...this.#cookies.values()]
      .filter((c) => path === c.path || path.startsWith(c.path.endsWith("/") ? c.path : `${c.path}/`))
      .map((c) => `${c.name}=${c.value}`)
      .join("; ");
  }
}

async function browse(jar: CookieJar, url: string, form?: Record<string, string>, origin = idp.issuer) {
  const headers = new Headers({ accept: "text/html" });
  const cookie = jar.header(url);
  if (cookie) headers.set("cookie", cookie);
  if (form) {
    headers.set("content-type", "application/x-www-form-urlencoded");
    headers.set("origin", origin);
  }
  const response = await fetch(url, {
    method: form ? "POST" : "GET",
    headers,
    body: form ? new URLSearchParams(form) : undefined,
    redirect: "manual",
  });
  jar.store(response);
  return response;
}

function locationOf(response: Response): string {
  const location = response.headers.get("location");
  if (!location) throw new Error(`expected a redirect, got HTTP ${response.status}`);
  return new URL(location, idp.issuer).href;
}

/** Follows redirects until one leaves the IdP for the app (the callback), or a page is shown. */
async function follow(jar: CookieJar, response: Response): Promise<{ appUrl?: URL; page?: Response }> {
  let current = response;
  for (let hop = 0; hop < 10; hop += 1) {
    if (current.status < 300 || current.status >= 400) return { page: current };
    const next = locationOf(current);
    if (next.startsWith(APP_ORIGIN)) return { appUrl: new URL(next) };
    current = await browse(jar, next);
  }
  throw new Error("too many redirects");
}

function pkcePair() {
  const verifier = randomBytes(32).toString("base64url");
  return { verifier, challenge: createHash("sha256").update(verifier).digest("base64url") };
}

async function authorize(jar: CookieJar, params: Record<string, string | undefined> = {}) {
  const { verifier, challenge } = pkcePair();
  const state = randomBytes(16).toString("base64url");
  const query: Record<string, string | undefined> = {
    client_id: idp.clientId,
    redirect_uri: REDIRECT_URI,
    response_type: "code",
    scope: SCOPE,
    state,
    code_challenge: challenge,
    code_challenge_method: "S256",
    ...params,
  };
  const url = new URL(discovery.authorization_endpoint);
  for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.set(key, value);
  const response = await browse(jar, url.href);
  return { response, verifier, state };
}

/** Authorization request → login page → one-click login → code at the redirect URI. */
async function signIn(email: string, jar = new CookieJar()) {
  const { response, verifier, state } = await authorize(jar);
  expect(response.status).toBe(303);
  const interactionUrl = locationOf(response);
  expect(new URL(interactionUrl).pathname).toMatch(/^\/interaction\/[\w-]+$/);

  const page = await browse(jar, interactionUrl);
  expect(page.status).toBe(200);
  const html = await page.text();

  const submitted = await browse(jar, `${interactionUrl}/login`, { login: email });
  expect(submitted.status).toBe(303);
  const { appUrl } = await follow(jar, submitted);
  if (!appUrl) throw new Error("sign-in did not reach the redirect URI");
  expect(`${appUrl.origin}${appUrl.pathname}`).toBe(REDIRECT_URI);
  expect(appUrl.searchParams.get("state")).toBe(state);
  expect(appUrl.searchParams.get("iss")).toBe(idp.issuer);
  const code = appUrl.searchParams.get("code");
  if (!code) throw new Error(`no code: ${appUrl.search}`);
  return { code, verifier, html, jar, interactionUrl };
}

function basicAuth(clientId: string, clientSecret: string) {
  // RFC 6749 §2.3.1: form-urlencode both parts before base64.
  const encode = (value: string) => encodeURIComponent(value).replace(/%20/g, "+");
  return `Basic ${Buffer.from(`${encode(clientId)}:${encode(clientSecret)}`).toString("base64")}`;
}

async function exchangeCode(code: string, options: { verifier?: string; secret?: string } = {}) {
  const body = new URLSearchParams({ grant_type: "authorization_code", code, redirect_uri: REDIRECT_URI });
  if (options.verifier !== undefined) body.set("code_verifier", options.verifier);
  const response = await fetch(discovery.token_endpoint, {
    method: "POST",
    headers: {
      authorization: basicAuth(idp.clientId, options.secret ?? idp.clientSecret),
      "content-type": "application/x-www-form-urlencoded",
      accept: "application/json",
    },
    body,
  });
  return { status: response.status, json: (await response.json()) as Record<string, unknown> };
}

function decodeSegment(segment: string): Record<string, unknown> {
  return JSON.parse(Buffer.from(segment, "base64url").toString("utf8")) as Record<string, unknown>;
}

async function verifyJws(jws: string): Promise<boolean> {
  const [header = "", payload = "", signature = ""] = jws.split(".");
  const { alg, kid } = decodeSegment(header);
  expect(alg).toBe("RS256");
  const jwks = (await (await fetch(discovery.jwks_uri)).json()) as { keys: Array<JsonWebKey & { kid?: string }> };
  const jwk = jwks.keys.find((key) => key.kid === kid);
  if (!jwk) throw new Error(`no JWK with kid ${String(kid)}`);
  expect(jwk.d).toBeUndefined(); // the JWKS publishes public keys only
  const key = createPublicKey({ key: jwk, format: "jwk" });
  return verify("sha256", Buffer.from(`${header}.${payload}`), key, Buffer.from(signature, "base64url"));
}

// --- tests -------------------------------------------------------------------------------------------

describe("development identity provider", () => {
  it("serves a discovery document for http://127.0.0.1:<port> with PKCE and client_secret_basic", () => {
    expect(idp.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery.issuer).toBe(idp.issuer);
    expect(discovery.authorization_endpoint.startsWith(`${idp.issuer}/`)).toBe(true);
    expect(discovery.code_challenge_methods_supported).toEqual(["S256"]);
    expect(discovery.token_endpoint_auth_methods_supported).toEqual(["client_secret_basic"]);
    expect(discovery.response_types_supported).toEqual(["code"]);
    expect(discovery.scopes_supported).toEqual(expect.arrayContaining(["openid", "email", "profile", "groups"]));
    expect(discovery.claims_supported).toEqual(expect.arrayContaining(["sub", "email", "email_verified", "name", "groups"]));
    expect(discovery.end_session_endpoint).toBe(`${idp.issuer}/session/end`);
    expect(idp.clientSecret.length).toBeGreaterThanOrEqual(43);
  });

  it("gives each demo user a stable opaque subject", () => {
    for (const demo of demoUsers) {
      expect(demo.sub).not.toContain(demo.email.split("@")[0]);
      expect(demo.sub).toMatch(/^demo-[\w-]{22}$/);
    }
    expect(new Set(demoUsers.map((demo) => demo.sub)).size).toBe(demoUsers.length);
    expect(user("nobody@example.test").groups).toEqual([]);
  });

  it("shows an accessible login page that lists every demo user", async () => {
    const jar = new CookieJar();
    const { response } = await authorize(jar);
    const page = await browse(jar, locationOf(response));
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/^text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/default-src 'none'/);
    expect(page.headers.get("cache-control")).toBe("no-store");
    const html = await page.text();
    expect(html).toContain("<title>Assay demo sign-in</title>");
    expect(html).toMatch(/role="note"[^>]*>.*not for production/s);
    expect(html).toContain("Sign in as Olivia Officer — compliance officer");
    for (const demo of demoUsers) {
      expect(html).toContain(`name="login" value="${demo.email}"`);
      expect(html).toContain(`Sign in as ${demo.name} — ${demo.roleDescription}`);
    }
    expect(html).toContain('<label for="login">');
    expect(html).toContain('<label for="password">');
    expect(html).not.toMatch(/<script|https?:\/\/(?!127\.0\.0\.1)/); // no scripts, no external assets
  });

  it("completes authorization code + PKCE: signed ID token, userinfo with e-mail, name and groups", async () => {
    const officer = user("officer@example.test");
    const { code, verifier } = await signIn(officer.email);

    const { status, json: tokens } = await exchangeCode(code, { verifier });
    expect(status).toBe(200);
    expect(tokens.token_type).toBe("Bearer");
    expect(typeof tokens.access_token).toBe("string");
    expect(tokens.refresh_token).toBeUndefined();

    const idToken = String(tokens.id_token);
    expect(await verifyJws(idToken)).toBe(true);
    const [header = "", payload = "", signature = ""] = idToken.split(".");
    const tampered = Buffer.from(JSON.stringify({ ...decodeSegment(payload), sub: "someone-else" })).toString("base64url");
    expect(await verifyJws(`${header}.${tampered}.${signature}`)).toBe(false);

    const claims = decodeSegment(payload);
    expect(claims.iss).toBe(idp.issuer);
    expect(claims.aud).toBe(idp.clientId);
    expect(claims.sub).toBe(officer.sub);
    expect(Number(claims.exp)).toBeGreaterThan(Date.now() / 1000);
    // conformIdTokenClaims (the default, as real IdPs do): the scope claims come from userinfo.
    expect(claims.email).toBeUndefined();
    expect(claims.groups).toBeUndefined();

    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${String(tokens.access_token)}`, accept: "application/json" },
    });
    expect(userinfo.status).toBe(200);
    expect(await userinfo.json()).toEqual({
      sub: officer.sub,
      email: "officer@example.test",
      email_verified: true,
      name: "Olivia Officer",
      groups: ["assay-officers"],
    });
  });

  it("signs in a user without groups with an empty groups claim", async () => {
    const { code, verifier } = await signIn("nobody@example.test");
    const { json: tokens } = await exchangeCode(code, { verifier });
    const userinfo = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${String(tokens.access_token)}` },
    });
    expect(await userinfo.json()).toMatchObject({ name: "Nora Nobody", groups: [] });
  });

  it("refuses a wrong client secret at the token endpoint", async () => {
    const { code, verifier } = await signIn("reviewer@example.test");
    const refused = await exchangeCode(code, { verifier, secret: `${idp.clientSecret}x` });
    expect(refused.status).toBe(401);
    expect(refused.json.error).toBe("invalid_client");
    expect(refused.json.access_token).toBeUndefined();
    expect(logged.warn.some((line) => line.includes("token request refused: invalid_client"))).toBe(true);
  });

  it("refuses a token request without the code_verifier, or with a wrong one (PKCE required)", async () => {
    const { code, verifier } = await signIn("admin@example.test");
    const missing = await exchangeCode(code);
    expect(missing.status).toBe(400);
    expect(missing.json.error).toBe("invalid_grant");
    const wrong = await exchangeCode(code, { verifier: pkcePair().verifier });
    expect(wrong.status).toBe(400);
    expect(wrong.json.error).toBe("invalid_grant");
    expect(verifier).not.toBe("");
  });

  it("refuses an authorization request without a code_challenge", async () => {
    const jar = new CookieJar();
    const { response } = await authorize(jar, { code_challenge: undefined, code_challenge_method: undefined });
    const { appUrl } = await follow(jar, response);
    expect(appUrl?.searchParams.get("error")).toBe("invalid_request");
    expect(appUrl?.searchParams.get("error_description")).toMatch(/PKCE/);
    expect(appUrl?.searchParams.get("code")).toBeNull();
  });

  it("refuses to redeem a code twice", async () => {
    const { code, verifier } = await signIn("officer2@example.test");
    expect((await exchangeCode(code, { verifier })).status).toBe(200);
    const replay = await exchangeCode(code, { verifier });
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe("invalid_grant");
  });

  it("shows the login page again with an error for an unknown login, and issues no code", async () => {
    const jar = new CookieJar();
    const { response } = await authorize(jar);
    const interactionUrl = locationOf(response);
    await browse(jar, interactionUrl);

    const refused = await browse(jar, `${interactionUrl}/login`, { login: "mallory@example.test", password: "x" });
    expect(refused.status).toBe(422);
    expect(refused.headers.get("location")).toBeNull();
    const html = await refused.text();
    expect(html).toContain("<title>Assay demo sign-in</title>");
    expect(html).toMatch(/role="alert"[^>]*>There is no demo user with the login “mallory@example\.test”/);
    expect(html).toMatch(/<input id="login"[^>]*aria-invalid="true"/);
    expect(html).not.toMatch(/[?&]code=/);

    // An empty login is refused the same way.
    const empty = await browse(jar, `${interactionUrl}/login`, { login: "" });
    expect(empty.status).toBe(422);

    // The same sign-in can still be completed with a demo user (typed, any password).
    const accepted = await browse(jar, `${interactionUrl}/login`, { login: " Officer@Example.test ", password: "anything" });
    const { appUrl } = await follow(jar, accepted);
    expect(appUrl?.searchParams.get("code")).toBeTruthy();
  });

  it("refuses a login form posted from another origin or without the interaction cookie", async () => {
    const jar = new CookieJar();
    const { response } = await authorize(jar);
    const interactionUrl = locationOf(response);

    const crossOrigin = await browse(jar, `${interactionUrl}/login`, { login: "admin@example.test" }, "http://evil.example");
    expect(crossOrigin.status).toBe(403);
    expect(crossOrigin.headers.get("location")).toBeNull();

    const noCookie = await browse(new CookieJar(), `${interactionUrl}/login`, { login: "admin@example.test" });
    expect(noCookie.status).toBe(400);
    expect(await noCookie.text()).toContain("Sign-in expired");
  });

  it("lets the user cancel: the app gets access_denied", async () => {
    const jar = new CookieJar();
    const { response } = await authorize(jar);
    const cancelled = await browse(jar, `${locationOf(response)}/abort`, {});
    const { appUrl } = await follow(jar, cancelled);
    expect(appUrl?.searchParams.get("error")).toBe("access_denied");
    expect(appUrl?.searchParams.get("code")).toBeNull();
  });

  it("keeps a session (single sign-on) until RP-initiated logout ends it", async () => {
    const { jar } = await signIn("reviewer@example.test");

    // Signed in at the IdP: a second authorization goes straight back with a code.
    const again = await follow(jar, (await authorize(jar)).response);
    expect(again.appUrl?.searchParams.get("code")).toBeTruthy();
    // prompt=login asks again (how an app lets the user switch demo users without logging out).
    const forced = await follow(jar, (await authorize(jar, { prompt: "login" })).response);
    expect(forced.page?.status).toBe(200);
    expect(await forced.page?.text()).toContain("Assay demo sign-in");

    const endSession = new URL(discovery.end_session_endpoint);
    endSession.searchParams.set("client_id", idp.clientId);
    endSession.searchParams.set("post_logout_redirect_uri", `${APP_ORIGIN}/`);
    endSession.searchParams.set("state", "bye");
    const confirmPage = await browse(jar, endSession.href);
    expect(confirmPage.status).toBe(200);
    const html = await confirmPage.text();
    const action = /<form id="op\.logoutForm" method="post" action="([^"]+)">/.exec(html)?.[1];
    const xsrf = /name="xsrf" value="([^"]+)"/.exec(html)?.[1];
    expect(action && xsrf).toBeTruthy();
    expect(html).toMatch(/<button type="submit" class="primary" form="op\.logoutForm" name="logout" value="yes"/);

    const confirmed = await browse(jar, action ?? "", { xsrf: xsrf ?? "", logout: "yes" });
    expect(confirmed.status).toBe(303);
    expect(locationOf(confirmed)).toBe(`${APP_ORIGIN}/?state=bye`);

    // Signed out: the next authorization shows the login page again.
    const afterLogout = await follow(jar, (await authorize(jar)).response);
    expect(afterLogout.page?.status).toBe(200);
    expect(await afterLogout.page?.text()).toContain("Assay demo sign-in");
  });

  it("prints no oidc-provider warnings or notices and logged no server errors", () => {
    const printed = consoleSpies.flatMap((spy) => spy.mock.calls.map((args) => args.map(String).join(" ")));
    expect(printed.filter((line) => line.includes("oidc-provider"))).toEqual([]);
    expect(logged.error).toEqual([]);
    // The secrets never reach the log.
    expect(logged.warn.join("\n")).not.toContain(idp.clientSecret);
  });
});
