import "server-only";

import { createHash, generateKeyPair, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { promisify } from "node:util";
import {
  Provider,
  errors,
  type Adapter,
  type AdapterPayload,
  type Configuration,
  type ErrorOut,
  type Interaction,
  type KoaContextWithOIDC,
  type OIDCProviderErrorLike,
} from "oidc-provider";

// The bundled development OpenID Provider for demo mode and tests (docs/decisions/004).
// It is a real OpenID Provider (oidc-provider 9) so that Assay signs in exactly as it does against
// a production IdP: authorization code + PKCE, client_secret_basic, signed ID tokens, userinfo.
// Invariants:
// - it listens on 127.0.0.1 only and accepts any password: it must never be reachable from a
//   network, and the caller (the start script) refuses to start it when ASSAY_ENV=production;
// - every start generates a fresh signing key, cookie keys and (unless given) client secret, none
//   of which is ever logged; all state lives in this process and is lost on stop.

export interface DemoUser {
  /** The login typed on the sign-in page. */
  email: string;
  /** Stable opaque subject identifier, derived from the e-mail (same on every start). */
  sub: string;
  name: string;
  /** The `groups` claim; lib/auth maps groups to Assay roles. */
  groups: readonly string[];
  /** What the user is for, shown on the sign-in page ("compliance officer"). */
  roleDescription: string;
}

function subjectFor(email: string): string {
  return `demo-${createHash("sha256").update(`assay-dev-idp:${email}`).digest("base64url").slice(0, 22)}`;
}

function demoUser(email: string, name: string, groups: string[], roleDescription: string): DemoUser {
  return Object.freeze({ email, sub: subjectFor(email), name, groups: Object.freeze(groups), roleDescription });
}

export const DEMO_USERS: readonly DemoUser[] = Object.freeze([
  demoUser("officer@example.test", "Olivia Officer", ["assay-officers"], "compliance officer"),
  demoUser("officer2@example.test", "Oscar Officer", ["assay-officers"], "second compliance officer"),
  demoUser("reviewer@example.test", "Rita Reviewer", ["assay-reviewers"], "ISO 27001 reviewer"),
  demoUser("admin@example.test", "Ada Admin", ["assay-admins"], "administrator"),
  demoUser("nobody@example.test", "Nora Nobody", [], "signs in but has no Assay role"),
]);

const usersByEmail = new Map(DEMO_USERS.map((user) => [user.email, user]));
const usersBySub = new Map(DEMO_USERS.map((user) => [user.sub, user]));

export interface StartDevIdentityProviderOptions {
  /** 0 (the default) picks a free port. */
  port?: number;
  /** Only the loopback address is allowed: this provider accepts any password. */
  host?: "127.0.0.1";
  /** The relying party's callback, e.g. http://127.0.0.1:3000/api/auth/callback/assay. */
  redirectUri: string;
  /** Where RP-initiated logout may return to; defaults to the origin of `redirectUri` + "/". */
  postLogoutRedirectUris?: string[];
  /** Defaults to "assay". */
  clientId?: string;
  /** Defaults to 32 random bytes, base64url. */
  clientSecret?: string;
  /** Refused client requests go to `warn`, server errors to `error`. Defaults to console. */
  logger?: DevIdentityProviderLogger;
}

export interface DevIdentityProviderLogger {
  warn(message: string): void;
  error(message: string, error?: unknown): void;
}

export interface DevIdentityProvider {
  /** http://127.0.0.1:<port>; the discovery document is at `${issuer}/.well-known/openid-configuration`. */
  issuer: string;
  clientId: string;
  clientSecret: string;
  stop(): Promise<void>;
}

const LOOPBACK = "127.0.0.1";
const CLIENT_NAME = "Assay";
const SCOPES = ["openid", "email", "profile", "groups"];
const MAX_FORM_BYTES = 16 * 1024;

export async function startDevIdentityProvider(
  options: StartDevIdentityProviderOptions,
): Promise<DevIdentityProvider> {
  const host = options.host ?? LOOPBACK;
  if (host !== LOOPBACK) {
    throw new Error(`The development identity provider only listens on ${LOOPBACK}, not ${String(host)}.`);
  }
  const redirectUri = parseHttpUrl(options.redirectUri, "redirectUri");
  const appOrigin = new URL(redirectUri).origin;
  const postLogoutRedirectUris = (options.postLogoutRedirectUris ?? [`${appOrigin}/`]).map((uri) =>
    parseHttpUrl(uri, "postLogoutRedirectUris"),
  );
  const clientId = options.clientId ?? "assay";
  const clientSecret = options.clientSecret ?? randomBytes(32).toString("base64url");
  const logger = options.logger ?? console;

  const [signingKey, server] = await Promise.all([createSigningKey(), listen(options.port ?? 0, host)]);
  const issuer = `http://${LOOPBACK}:${(server.address() as AddressInfo).port}`;
  const adapterStore = createMemoryAdapterStore();

  const configuration: Configuration = {
    // Our own adapter and keys: oidc-provider's built-in ones print "development-only" warnings,
    // and an LRU that can evict live sessions is not what we want either.
    adapter: adapterStore.factory,
    jwks: { keys: [signingKey] },
    clients: [
      {
        client_id: clientId,
        client_secret: clientSecret,
        client_name: CLIENT_NAME,
        redirect_uris: [redirectUri],
        post_logout_redirect_uris: postLogoutRedirectUris,
        grant_types: ["authorization_code"],
        response_types: ["code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    clientAuthMethods: ["client_secret_basic"],
    responseTypes: ["code"],
    subjectTypes: ["public"],
    pkce: { required: () => true },
    scopes: SCOPES,
    claims: {
      openid: ["sub"],
      email: ["email", "email_verified"],
      profile: ["name"],
      groups: ["groups"],
    },
    // Default kept on purpose (real IdPs behave so): with an access token issued, the ID token
    // carries only `sub` and the scope claims come from the userinfo endpoint.
    conformIdTokenClaims: true,
    findAccount: (_ctx, sub) => {
      const user = usersBySub.get(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({
          sub: user.sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          groups: [...user.groups],
        }),
      };
    },
    cookies: {
      // Cookies are not isolated by port: prefix ours so they never collide with the app's on 127.0.0.1.
      names: { session: "assay_devidp_session", interaction: "assay_devidp_interaction", resume: "assay_devidp_resume" },
      // No `secure` flag: the issuer is plain http on loopback (oidc-provider adds it itself on https).
      long: { httpOnly: true, sameSite: "lax" },
      short: { httpOnly: true, sameSite: "lax" },
      keys: [randomBytes(32).toString("base64url")],
    },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => renderLogoutPage(ctx, form),
        postLogoutSuccessSource: (ctx) => renderSignedOutPage(ctx, appOrigin),
      },
      userinfo: { enabled: true },
      dPoP: { enabled: false },
      pushedAuthorizationRequests: { enabled: false },
      resourceIndicators: { enabled: false },
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
    renderError: (ctx, out) => renderProviderError(ctx, out, appOrigin),
    clientBasedCORS: () => false,
    ttl: {
      AccessToken: 10 * 60,
      AuthorizationCode: 60,
      IdToken: 60 * 60,
      Interaction: 30 * 60,
      Session: 8 * 60 * 60,
      Grant: 8 * 60 * 60,
    },
  };

  let provider: Provider;
  try {
    provider = new Provider(issuer, configuration);
  } catch (error) {
    await closeServer(server);
    throw error;
  }
  logProviderEvents(provider, logger);

  const providerCallback = provider.callback();
  const interactions = createInteractionHandler({ provider, clientId, issuer, appOrigin, logger });
  server.on("request", (req: IncomingMessage, res: ServerResponse) => {
    const match = /^\/interaction\/([\w-]{1,64})(?:\/(login|abort))?$/.exec(pathOf(req));
    if (match?.[1]) {
      void interactions(req, res, match[1], match[2] as InteractionAction | undefined);
    } else {
      void providerCallback(req, res);
    }
  });

  let stopping: Promise<void> | undefined;
  return {
    issuer,
    clientId,
    clientSecret,
    stop() {
      stopping ??= (async () => {
        adapterStore.dispose();
        await closeServer(server);
      })();
      return stopping;
    },
  };
}

// --- interactions (login, automatic consent, cancel) ----------------------------------------------

type InteractionAction = "login" | "abort";

interface InteractionContext {
  provider: Provider;
  clientId: string;
  issuer: string;
  appOrigin: string;
  logger: DevIdentityProviderLogger;
}

function createInteractionHandler({ provider, clientId, issuer, appOrigin, logger }: InteractionContext) {
  return async function handleInteraction(
    req: IncomingMessage,
    res: ServerResponse,
    uid: string,
    action: InteractionAction | undefined,
  ): Promise<void> {
    try {
      const expectedMethod = action ? "POST" : "GET";
      if (req.method !== expectedMethod) {
        res.setHeader("Allow", expectedMethod);
        sendPage(res, 405, messagePage("Method not allowed", `<p>Use ${expectedMethod} for this address.</p>`));
        return;
      }
      // The interaction cookie is SameSite=Lax and bound to this uid's path, so a cross-site form
      // cannot drive it; refusing a foreign Origin as well costs nothing.
      const origin = req.headers.origin;
      if (action && origin !== undefined && origin !== issuer) {
        sendPage(res, 403, messagePage("Request refused", "<p>This form was submitted from another site.</p>", appOrigin));
        return;
      }
      const form = action ? await readForm(req) : undefined;

      let interaction: Interaction;
      try {
        interaction = await provider.interactionDetails(req, res);
      } catch (error) {
        if (error instanceof errors.SessionNotFound) {
          sendExpired(res, appOrigin);
          return;
        }
        throw error;
      }
      if (interaction.uid !== uid) {
        sendExpired(res, appOrigin);
        return;
      }
      if (interaction.params.client_id !== clientId) {
        // Only our single registered client can get here; never grant anything to another one.
        sendPage(res, 400, messagePage("Unknown application", "<p>This sign-in request is not for Assay.</p>", appOrigin));
        return;
      }

      if (action === "abort") {
        await provider.interactionFinished(
          req,
          res,
          { error: "access_denied", error_description: "The user cancelled the sign-in." },
          { mergeWithLastSubmission: false },
        );
        return;
      }

      if (action === "login") {
        if (interaction.prompt.name !== "login") {
          redirect(res, `/interaction/${uid}`);
          return;
        }
        const login = (form?.get("login") ?? "").trim().toLowerCase();
        const user = usersByEmail.get(login);
        if (!user) {
          const message = login
            ? `There is no demo user with the login “${login}”. Choose one of the demo users above.`
            : "Enter the e-mail of a demo user, or choose one of the demo users above.";
          sendPage(res, 422, loginPage({ uid, issuer, appOrigin, error: message, typedLogin: login }));
          return;
        }
        // remember: false keeps the IdP session in a browser-session cookie only.
        await provider.interactionFinished(
          req,
          res,
          { login: { accountId: user.sub, remember: false } },
          { mergeWithLastSubmission: false },
        );
        return;
      }

      switch (interaction.prompt.name) {
        case "login":
          sendPage(res, 200, loginPage({ uid, issuer, appOrigin }));
          return;
        case "consent":
          await grantConsent(provider, interaction, req, res);
          return;
        default:
          sendPage(
            res,
            400,
            messagePage("Unsupported request", `<p>The demo identity provider cannot handle the “${escapeHtml(interaction.prompt.name)}” step.</p>`, appOrigin),
          );
      }
    } catch (error) {
      logger.error("[dev-idp] interaction failed", error);
      if (!res.headersSent) {
        sendPage(res, 500, messagePage("Something went wrong", "<p>The demo identity provider failed. The details are in its log.</p>", appOrigin));
      } else {
        res.destroy();
      }
    }
  };
}

// Consent is implicit for our single first-party client: grant exactly what the request is still
// missing (the scopes it asked for), then let the authorization request resume.
async function grantConsent(provider: Provider, interaction: Interaction, req: IncomingMessage, res: ServerResponse) {
  const accountId = interaction.session?.accountId;
  const clientId = interaction.params.client_id;
  if (!accountId || !clientId) throw new Error("consent prompt without a signed-in account or client");

  const existing = interaction.grantId ? await provider.Grant.find(interaction.grantId) : undefined;
  const grant = existing ?? new provider.Grant({ accountId, clientId });
  const { missingOIDCScope, missingOIDCClaims, missingResourceScopes } = interaction.prompt.details;
  if (missingOIDCScope?.length) grant.addOIDCScope(missingOIDCScope.join(" "));
  if (missingOIDCClaims?.length) grant.addOIDCClaims(missingOIDCClaims);
  for (const [indicator, scopes] of Object.entries(missingResourceScopes ?? {})) {
    grant.addResourceScope(indicator, scopes.join(" "));
  }
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { consent: existing ? {} : { grantId } },
    { mergeWithLastSubmission: true },
  );
}

// --- provider events -------------------------------------------------------------------------------

// Requests the provider refused (a bad client secret, a missing code_verifier...). The authorization
// endpoint's event also covers resuming after our interactions.
const REFUSAL_EVENTS: Record<string, string> = {
  "authorization.error": "authorization request",
  "grant.error": "token request",
  "userinfo.error": "userinfo request",
  "end_session.error": "logout request",
  "end_session_confirm.error": "logout confirmation",
  "end_session_success.error": "logout success page",
  "discovery.error": "discovery request",
  "jwks.error": "JWKS request",
};

function logProviderEvents(provider: Provider, logger: DevIdentityProviderLogger) {
  provider.on("server_error", (_ctx, error) => logger.error("[dev-idp] server error", error));
  for (const [event, label] of Object.entries(REFUSAL_EVENTS)) {
    provider.on(event, (_ctx, error: OIDCProviderErrorLike) => {
      const parts = [error.error ?? error.message, error.error_description, error.error_detail].filter(Boolean);
      logger.warn(`[dev-idp] ${label} refused: ${parts.join(" — ")}`);
    });
  }
}

// --- HTTP plumbing ---------------------------------------------------------------------------------

function listen(port: number, host: string) {
  return new Promise<ReturnType<typeof createServer>>((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(port, host, () => {
      server.off("error", reject);
      resolve(server);
    });
  });
}

function closeServer(server: ReturnType<typeof createServer>) {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}

function pathOf(req: IncomingMessage) {
  const url = req.url ?? "/";
  const query = url.indexOf("?");
  return query === -1 ? url : url.slice(0, query);
}

async function readForm(req: IncomingMessage): Promise<URLSearchParams> {
  const type = (req.headers["content-type"] ?? "").split(";")[0]?.trim().toLowerCase();
  if (type !== "application/x-www-form-urlencoded") return new URLSearchParams();
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_FORM_BYTES) throw new Error("sign-in form body too large");
    chunks.push(chunk as Buffer);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString("utf8"));
}

function redirect(res: ServerResponse, location: string) {
  res.statusCode = 303;
  res.setHeader("Location", location);
  res.setHeader("Cache-Control", "no-store");
  res.end();
}

function sendExpired(res: ServerResponse, appOrigin: string) {
  sendPage(
    res,
    400,
    messagePage(
      "Sign-in expired",
      "<p>This sign-in request has expired or was already used. Go back to Assay and sign in again.</p>",
      appOrigin,
    ),
  );
}

function sendPage(res: ServerResponse, status: number, html: string) {
  res.statusCode = status;
  for (const [name, value] of Object.entries(PAGE_HEADERS)) res.setHeader(name, value);
  res.setHeader("Content-Type", "text/html; charset=utf-8");
  res.end(html);
}

function setPage(ctx: KoaContextWithOIDC, html: string) {
  for (const [name, value] of Object.entries(PAGE_HEADERS)) ctx.set(name, value);
  ctx.type = "html";
  ctx.body = html;
}

function parseHttpUrl(value: string, name: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new TypeError(`${name} must be an absolute URL, got ${JSON.stringify(value)}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new TypeError(`${name} must be an http(s) URL, got ${JSON.stringify(value)}`);
  }
  return url.href;
}

// --- keys and storage ------------------------------------------------------------------------------

async function createSigningKey(): Promise<Record<string, unknown>> {
  const { privateKey } = await promisify(generateKeyPair)("rsa", { modulusLength: 2048 });
  return { ...privateKey.export({ format: "jwk" }), kid: randomBytes(12).toString("base64url"), use: "sig", alg: "RS256" };
}

const GRANT_BOUND_MODELS = new Set([
  "AccessToken",
  "AuthorizationCode",
  "RefreshToken",
  "DeviceCode",
  "BackchannelAuthenticationRequest",
]);

// In-process storage for oidc-provider's models. Expired entries are dropped when read and by a
// sweep once a minute, so a long-running demo server does not grow without bound.
function createMemoryAdapterStore() {
  const entries = new Map<string, { payload: AdapterPayload; expiresAt: number }>();
  const sessionIdByUid = new Map<string, string>();
  const idByUserCode = new Map<string, string>();
  const keysByGrant = new Map<string, Set<string>>();

  const live = (key: string) => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= Date.now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };

  const sweep = setInterval(() => {
    const now = Date.now();
    for (const [key, entry] of entries) if (entry.expiresAt <= now) entries.delete(key);
    for (const [uid, id] of sessionIdByUid) if (!entries.has(`Session:${id}`)) sessionIdByUid.delete(uid);
    for (const [code, key] of idByUserCode) if (!entries.has(key)) idByUserCode.delete(code);
    for (const [grantId, keys] of keysByGrant) {
      for (const key of keys) if (!entries.has(key)) keys.delete(key);
      if (keys.size === 0) keysByGrant.delete(grantId);
    }
  }, 60_000);
  sweep.unref();

  const factory = (model: string): Adapter => {
    const keyOf = (id: string) => `${model}:${id}`;
    return {
      async upsert(id, payload, expiresIn) {
        const key = keyOf(id);
        const expiresAt = typeof expiresIn === "number" ? Date.now() + expiresIn * 1000 : Number.POSITIVE_INFINITY;
        entries.set(key, { payload, expiresAt });
        if (model === "Session" && payload.uid) sessionIdByUid.set(payload.uid, id);
        if (payload.userCode) idByUserCode.set(payload.userCode, key);
        if (payload.grantId && GRANT_BOUND_MODELS.has(model)) {
          const keys = keysByGrant.get(payload.grantId) ?? new Set<string>();
          keys.add(key);
          keysByGrant.set(payload.grantId, keys);
        }
      },
      async find(id) {
        return live(keyOf(id))?.payload;
      },
      async findByUid(uid) {
        const id = sessionIdByUid.get(uid);
        return id === undefined ? undefined : live(keyOf(id))?.payload;
      },
      async findByUserCode(userCode) {
        const key = idByUserCode.get(userCode);
        return key === undefined ? undefined : live(key)?.payload;
      },
      async consume(id) {
        const entry = live(keyOf(id));
        if (entry) entry.payload.consumed = Math.floor(Date.now() / 1000);
      },
      async destroy(id) {
        entries.delete(keyOf(id));
      },
      async revokeByGrantId(grantId) {
        for (const key of keysByGrant.get(grantId) ?? []) entries.delete(key);
        keysByGrant.delete(grantId);
      },
    };
  };

  return {
    factory,
    dispose() {
      clearInterval(sweep);
      entries.clear();
      sessionIdByUid.clear();
      idByUserCode.clear();
      keysByGrant.clear();
    },
  };
}

// --- pages -----------------------------------------------------------------------------------------

const CSS = `
:root{color-scheme:light dark;--bg:#f3f4f6;--card:#fff;--text:#1f2328;--muted:#59636e;--border:#d1d9e0;--accent:#1a56b8;--accent-hover:#14448f;--on-accent:#fff;--tile-hover:#eef4fd;--warn-bg:#fff8c5;--warn-border:#d4a72c;--warn-text:#3b2300;--error-bg:#ffebe9;--error-border:#cf222e;--error-text:#82071e;--focus:#0969da}
@media (prefers-color-scheme:dark){:root{--bg:#0d1117;--card:#161b22;--text:#e6edf3;--muted:#9198a1;--border:#3d444d;--accent:#4493f8;--accent-hover:#6aa9fa;--on-accent:#0d1117;--tile-hover:#1c2a3d;--warn-bg:#3a2d00;--warn-border:#9e6a03;--warn-text:#f2e0a6;--error-bg:#3c1618;--error-border:#f85149;--error-text:#ffc1bc;--focus:#4493f8}}
*{box-sizing:border-box}
html{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,sans-serif}
body{margin:0;background:var(--bg);color:var(--text)}
main{max-width:35rem;margin:0 auto;padding:2.5rem 1rem 3rem}
.card{background:var(--card);border:1px solid var(--border);border-radius:12px;padding:1.75rem;box-shadow:0 1px 3px rgba(0,0,0,.06),0 8px 24px rgba(0,0,0,.04)}
.brand{display:flex;align-items:center;gap:.5rem;font-weight:700;letter-spacing:.02em;color:var(--muted);font-size:.875rem;text-transform:uppercase;margin:0 0 1rem}
.brand svg{flex:none}
h1{font-size:1.5rem;line-height:1.25;margin:0 0 .375rem}
h2{font-size:1rem;margin:1.75rem 0 .625rem}
p{margin:.5rem 0}
.lead{color:var(--muted);margin:0 0 1.25rem}
.banner{background:var(--warn-bg);border:1px solid var(--warn-border);color:var(--warn-text);border-radius:8px;padding:.75rem 1rem;margin:0 0 1.25rem;font-size:.9375rem}
.alert{background:var(--error-bg);border:1px solid var(--error-border);color:var(--error-text);border-radius:8px;padding:.75rem 1rem;margin:0 0 1rem}
ul.users{list-style:none;margin:0;padding:0;display:grid;gap:.5rem}
button{font:inherit;cursor:pointer}
.user{width:100%;display:flex;flex-direction:column;align-items:flex-start;gap:.125rem;text-align:left;padding:.75rem 1rem;border:1px solid var(--border);border-radius:8px;background:var(--card);color:var(--text)}
.user:hover{border-color:var(--accent);background:var(--tile-hover)}
.user .who{font-weight:600}
.user .meta{color:var(--muted);font-size:.875rem}
label{display:block;font-weight:600;margin:.875rem 0 .25rem}
input{display:block;width:100%;padding:.625rem .75rem;border:1px solid var(--border);border-radius:6px;background:var(--card);color:var(--text);font:inherit}
input[aria-invalid=true]{border-color:var(--error-border);border-width:2px}
.hint{color:var(--muted);font-size:.875rem;margin:.25rem 0 0}
.primary{display:inline-block;width:100%;margin-top:1.25rem;padding:.6875rem 1rem;border:0;border-radius:6px;background:var(--accent);color:var(--on-accent);font-weight:600;text-align:center;text-decoration:none}
.primary:hover{background:var(--accent-hover)}
.secondary{background:none;border:0;padding:0;color:var(--accent);text-decoration:underline}
.cancel{margin-top:1.25rem;text-align:center}
a{color:var(--accent)}
:focus-visible{outline:3px solid var(--focus);outline-offset:2px}
footer{margin-top:1.25rem;color:var(--muted);font-size:.8125rem;text-align:center;word-break:break-all}
`;

const PAGE_HEADERS: Record<string, string> = {
  // Inline CSS is allowed by its hash only; no scripts, no external assets, no framing.
  "Content-Security-Policy": `default-src 'none'; style-src 'sha256-${createHash("sha256").update(CSS).digest("base64")}'; img-src 'self'; base-uri 'none'; frame-ancestors 'none'`,
  "Cache-Control": "no-store",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  // same-origin (not no-referrer) so browsers keep sending a real Origin on our POST forms.
  "Referrer-Policy": "same-origin",
};

const LOGO = `<svg aria-hidden="true" width="20" height="20" viewBox="0 0 20 20"><path fill="currentColor" d="M10 1 2 4.5v5c0 4.4 3.4 8.6 8 9.5 4.6-.9 8-5.1 8-9.5v-5L10 1Zm-1.2 12.6L5.3 10l1.4-1.4 2.1 2.1 4.5-4.5 1.4 1.4-5.9 6Z"/></svg>`;

function layout(title: string, content: string, footer = ""): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="robots" content="noindex">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
<div class="card">
<p class="brand">${LOGO}<span>Assay · development identity provider</span></p>
${content}
</div>
${footer}
</main>
</body>
</html>`;
}

const BANNER = `<p class="banner" role="note"><strong>Development identity provider.</strong> This is the OpenID Provider bundled with Assay for demos and tests. It accepts any password and is not for production use.</p>`;

function backLink(appOrigin: string | undefined) {
  return appOrigin ? `<a class="primary" href="${escapeHtml(`${appOrigin}/`)}">Back to Assay</a>` : "";
}

function messagePage(title: string, bodyHtml: string, appOrigin?: string): string {
  return layout(title, `<h1>${escapeHtml(title)}</h1>${bodyHtml}${backLink(appOrigin)}`);
}

interface LoginPageInput {
  uid: string;
  issuer: string;
  appOrigin: string;
  error?: string;
  typedLogin?: string;
}

function loginPage({ uid, issuer, error, typedLogin }: LoginPageInput): string {
  const action = `/interaction/${encodeURIComponent(uid)}/login`;
  const users = DEMO_USERS.map((user, index) => {
    const groups = user.groups.length ? `group${user.groups.length > 1 ? "s" : ""} ${user.groups.join(", ")}` : "no groups";
    return `<li><button type="submit" class="user" name="login" value="${escapeHtml(user.email)}" aria-describedby="user-${index}-meta">`
      + `<span class="who">Sign in as ${escapeHtml(user.name)} — ${escapeHtml(user.roleDescription)}</span>`
      + `<span class="meta" id="user-${index}-meta" aria-hidden="true">${escapeHtml(user.email)} · ${escapeHtml(groups)}</span>`
      + `</button></li>`;
  }).join("\n");
  const invalid = error ? ` aria-invalid="true" autofocus` : "";
  const describedBy = error ? "login-error login-hint" : "login-hint";

  return layout(
    "Assay demo sign-in",
    `<h1>Assay demo sign-in</h1>
<p class="lead">Choose a demo user to sign in to ${escapeHtml(CLIENT_NAME)}.</p>
${BANNER}
${error ? `<div class="alert" role="alert" id="login-error">${escapeHtml(error)}</div>` : ""}
<section aria-labelledby="users-heading">
<h2 id="users-heading">Demo users</h2>
<form method="post" action="${escapeHtml(action)}">
<ul class="users">
${users}
</ul>
</form>
</section>
<section aria-labelledby="typed-heading">
<h2 id="typed-heading">Or type a login</h2>
<form method="post" action="${escapeHtml(action)}">
<label for="login">E-mail</label>
<input id="login" name="login" type="email" autocomplete="username" spellcheck="false" required value="${escapeHtml(typedLogin ?? "")}" aria-describedby="${describedBy}"${invalid}>
<p class="hint" id="login-hint">The e-mail of one of the demo users above.</p>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" aria-describedby="password-hint">
<p class="hint" id="password-hint">Any password is accepted, including none.</p>
<button type="submit" class="primary">Sign in</button>
</form>
</section>
<form class="cancel" method="post" action="/interaction/${escapeHtml(encodeURIComponent(uid))}/abort">
<button type="submit" class="secondary">Cancel and return to Assay</button>
</form>`,
    `<footer>Issuer ${escapeHtml(issuer)}</footer>`,
  );
}

async function renderLogoutPage(ctx: KoaContextWithOIDC, form: string) {
  setPage(
    ctx,
    layout(
      "Sign out of Assay demo",
      `<h1>Sign out</h1>
<p class="lead">Sign out of the demo identity provider? The next sign-in to Assay will ask which demo user to use.</p>
${BANNER}
${form}
<button type="submit" class="primary" form="op.logoutForm" name="logout" value="yes" autofocus>Sign out</button>`,
    ),
  );
}

async function renderSignedOutPage(ctx: KoaContextWithOIDC, appOrigin: string) {
  setPage(ctx, messagePage("Signed out", "<p>You are signed out of the demo identity provider.</p>", appOrigin));
}

async function renderProviderError(ctx: KoaContextWithOIDC, out: ErrorOut, appOrigin: string) {
  const description = out.error_description ? `<p>${escapeHtml(out.error_description)}</p>` : "";
  setPage(
    ctx,
    messagePage(
      "Sign-in error",
      `<p>The demo identity provider refused the request: <code>${escapeHtml(out.error)}</code>.</p>${description}`,
      appOrigin,
    ),
  );
}

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}
