import { createHash, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { closeAttachmentPool } from "@/lib/attachments/sql";
import { getDb } from "@/lib/db";
import { createPackageShare } from "@/lib/evidence/shares/create-package-share";
import { listPackageShares } from "@/lib/evidence/shares/list-package-shares";
import { requirePackageShare } from "@/lib/evidence/shares/require-package-share";
import { resolvePackageShare } from "@/lib/evidence/shares/resolve-package-share";
import { revokePackageShare } from "@/lib/evidence/shares/revoke-package-share";
import { SHARE_LINK_WORDS } from "@/lib/evidence/shares/share-link-words";
import { renderTooManyAttempts } from "@/lib/invites/too-many-attempts";
import { BAD_TOKEN_LIMIT } from "@/lib/invites/rate-limit";
import { stopBoss } from "@/lib/jobs/boss";
import { startWorkers } from "@/lib/jobs/start-workers";
import { createInviteRow, createTestAudit, createUser } from "../factories";
import { issuePackage, signedOffAudit } from "./evidence-support/signed-off-audit";
import { asUser } from "./sessions";
import { events, failure } from "./support";

// Share links of issued evidence packages: made by the audit team, opened without an account,
// each download recorded; expired, revoked, unknown and guessed links refused.

// Clients are told apart by X-Forwarded-For (one trusted proxy), so each test's client has a
// guessing budget of its own. Before any import reads the environment.
vi.hoisted(() => {
  process.env.TRUST_PROXY = "1";
});

const downloadRoute = await import("@/app/api/p/[token]/download/route");
const manifestRoute = await import("@/app/api/p/[token]/manifest/route");

const BASE = "http://assay.test";
const DAY_MS = 86_400_000;
const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
/** A client address of its own: the proxy's entry (the last) counts; what the client wrote before it does not. */
let clients = 0;
const newClient = () => {
  clients++;
  return `203.0.113.9, 10.1.${clients >> 8}.${clients & 255}`;
};
/** A well-shaped token that is nobody's. */
const unknownToken = () => createHash("sha256").update(randomUUID()).digest("base64url");

/** GET through a share link, anonymously (no session cookie), as `client`. */
async function get(kind: "download" | "manifest", token: string, client = newClient()) {
  const request = new Request(`${BASE}/api/p/${token}/${kind}`, { headers: { "x-forwarded-for": client } });
  const route = kind === "download" ? downloadRoute : manifestRoute;
  const res = await route.GET(await asUser(null, request), { params: Promise.resolve({ token }) });
  return { res, bytes: Buffer.from(await res.arrayBuffer()) };
}
const errorOf = (bytes: Buffer) => (JSON.parse(bytes.toString("utf8")) as { error: { code: string; message: string; details?: Record<string, unknown> } }).error;

let audit: Awaited<ReturnType<typeof signedOffAudit>>;
let pkg: Awaited<ReturnType<typeof issuePackage>>;

beforeAll(async () => {
  await startWorkers();
  audit = await signedOffAudit();
  pkg = await issuePackage(audit.reviewer, audit.auditId);
}, 90_000);

afterAll(async () => {
  await stopBoss();
  await closeAttachmentPool();
});

describe("making a share link", () => {
  it("returns the token once, stores only its SHA-256, and records the share without it", async () => {
    const created = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "  External auditor, Example GmbH " } });
    expect(created.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(Buffer.from(created.token, "base64url")).toHaveLength(32);
    expect(created.url).toBe(`${BASE}/p/${created.token}`);
    expect(created.share).toMatchObject({ packageId: pkg.id, label: "External auditor, Example GmbH", state: "active", downloads: 0 });
    const days = (Date.parse(created.share.expiresAt) - Date.now()) / DAY_MS;
    expect(days).toBeGreaterThan(13.99);
    expect(days).toBeLessThanOrEqual(14);

    const [row] = await getDb().$queryRaw<{ json: string }[]>`SELECT row_to_json(s)::text AS json FROM package_share s WHERE id = ${created.share.id}::uuid`;
    expect(row!.json).not.toContain(created.token);
    const stored = await getDb().packageShare.findUniqueOrThrow({ where: { id: created.share.id } });
    expect(stored.tokenHash).toBe(sha256(created.token));

    const shared = (await events(audit.auditId)).filter((e) => e.action === "package.shared" && e.subject === pkg.id).at(-1)!;
    expect(shared.actorId).toBe(audit.owner.id);
    expect(shared.data).toMatchObject({ packageId: pkg.id, shareId: created.share.id, label: "External auditor, Example GmbH", expiresAt: created.share.expiresAt });
    expect(JSON.stringify(shared.data)).not.toContain(created.token);
    expect(JSON.stringify(shared.data)).not.toContain(stored.tokenHash);
  });

  it("checks who it is for and how long it works", async () => {
    const empty = await failure(createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "  " } }));
    expect(empty).toMatchObject({ code: "INVALID_INPUT", fieldErrors: { label: "say who the link is for" } });
    const long = await failure(createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "Auditor", expiresInDays: 91 } }));
    expect(long.fieldErrors).toEqual({ expiresInDays: "at most 90 days" });
    const reviewerMade = await createPackageShare({ user: audit.reviewer, input: { packageId: pkg.id, label: "Reviewer's auditor", expiresInDays: 1 } });
    expect((Date.parse(reviewerMade.share.expiresAt) - Date.now()) / DAY_MS).toBeLessThanOrEqual(1);
  });

  it("is refused to an officer of another audit as if the package did not exist (404)", async () => {
    const outsider = await createUser(["OFFICER"]);
    await createTestAudit(outsider);
    const e = await failure(createPackageShare({ user: outsider, input: { packageId: pkg.id, label: "Me" } }));
    expect(e.code).toBe("NOT_FOUND");
    expect(e.message).not.toContain(audit.auditId);
    expect((await failure(listPackageShares({ user: outsider, auditId: audit.auditId }))).code).toBe("NOT_FOUND");
    const missing = await failure(createPackageShare({ user: audit.owner, input: { packageId: randomUUID(), label: "Me" } }));
    expect(missing.code).toBe("NOT_FOUND");
  });

  it("is refused for a package that is not issued yet", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const queued = await getDb().evidencePackage.create({ data: { auditId, signOff: 0, requestedById: owner.id }, select: { id: true } });
    const e = await failure(createPackageShare({ user: owner, input: { packageId: queued.id, label: "Auditor" } }));
    expect(e).toMatchObject({ code: "CONFLICT", details: { state: "QUEUED" } });
    expect(await getDb().packageShare.count({ where: { packageId: queued.id } })).toBe(0);
  });
});

describe("opening a share link", () => {
  it("downloads the signed PDF without an account: the stored bytes, recorded with the link and no actor", async () => {
    const created = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "ISO auditor" } });
    const { res, bytes } = await get("download", created.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename=".*-v1\.pdf"/);
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("x-robots-tag")).toContain("noindex");
    expect(sha256(bytes)).toBe(pkg.sha256);
    expect(bytes.length).toBe(Number(pkg.size));
    expect(res.headers.get("x-package-sha256")).toBe(pkg.sha256);

    const downloads = (await events(audit.auditId)).filter((e) => e.action === "package.downloaded" && (e.data as { shareId?: string }).shareId === created.share.id);
    expect(downloads).toHaveLength(1);
    expect(downloads[0]).toMatchObject({ actorId: null, inviteId: null, subject: pkg.id, data: { version: 1, shareId: created.share.id, sharedWith: "ISO auditor" } });

    const listed = (await listPackageShares({ user: audit.reviewer, auditId: audit.auditId }))[pkg.id]!.find((s) => s.id === created.share.id)!;
    expect(listed).toMatchObject({ label: "ISO auditor", state: "active", downloads: 1, createdBy: audit.owner.name });
    expect(listed.lastDownloadAt).not.toBeNull();
  });

  it("serves the manifest, byte for byte the one stored with the package", async () => {
    const created = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "Manifest reader" } });
    const { res, bytes } = await get("manifest", created.token);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/json; charset=utf-8");
    expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    expect(bytes.toString("utf8")).toBe(pkg.manifest);
    const manifest = JSON.parse(bytes.toString("utf8")) as { format: string; attachments: { sha256: string }[] };
    expect(manifest.format).toBe("assay-evidence-package/1");
    expect(manifest.attachments.map((a) => a.sha256)).toEqual([sha256(audit.pdf)]);
  });

  it("resolves to the package, its provider and who shared it", async () => {
    const created = await createPackageShare({ user: audit.reviewer, input: { packageId: pkg.id, label: "Page reader" } });
    const share = await requirePackageShare({ token: created.token, clientKey: null });
    const provider = await getDb().audit.findUniqueOrThrow({ where: { id: audit.auditId }, select: { providerName: true } });
    expect(share).toMatchObject({ id: created.share.id, packageId: pkg.id, state: "active", providerName: provider.providerName, sharedBy: { name: audit.reviewer.name } });
    expect(share.pkg).toMatchObject({ version: 1, state: "READY", sha256: pkg.sha256, size: Number(pkg.size), signer: { development: true, selfSigned: true } });
    expect(share.signerFingerprint).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  });

  it("refuses an expired link (403) and its page says when and whom to ask", async () => {
    const longAgo = new Date(Date.now() - 20 * DAY_MS);
    const created = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "Late auditor", expiresInDays: 14 }, now: longAgo });
    for (const kind of ["download", "manifest"] as const) {
      const { res, bytes } = await get(kind, created.token);
      expect(res.status).toBe(403);
      expect(errorOf(bytes)).toMatchObject({ code: "FORBIDDEN", details: { state: "expired", expiresAt: created.share.expiresAt } });
    }
    // What the page (lib/evidence/shares/share-page-state.ts) renders from.
    const found = await resolvePackageShare({ token: created.token, clientKey: null });
    expect(found.kind).toBe("found");
    if (found.kind !== "found") return;
    expect(found.share.state).toBe("expired");
    expect(found.share.sharedBy).toEqual({ name: audit.owner.name, email: audit.owner.email });
    expect((await listPackageShares({ user: audit.owner, auditId: audit.auditId }))[pkg.id]!.find((s) => s.id === created.share.id)!.state).toBe("expired");
  });

  it("refuses a revoked link (403); a second revoke is a conflict; both are in the trail once", async () => {
    const created = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "Wrong recipient" } });
    expect((await get("download", created.token)).res.status).toBe(200);
    const outsider = await createUser(["OFFICER"]);
    expect((await failure(revokePackageShare({ user: outsider, input: { packageId: pkg.id, shareId: created.share.id } }))).code).toBe("NOT_FOUND");

    await revokePackageShare({ user: audit.reviewer, input: { packageId: pkg.id, shareId: created.share.id } });
    const { res, bytes } = await get("download", created.token);
    expect(res.status).toBe(403);
    expect(errorOf(bytes)).toMatchObject({ code: "FORBIDDEN", details: { state: "revoked" } });
    expect((await get("manifest", created.token)).res.status).toBe(403);

    const again = await failure(revokePackageShare({ user: audit.owner, input: { packageId: pkg.id, shareId: created.share.id } }));
    expect(again.code).toBe("CONFLICT");
    const revoked = (await events(audit.auditId)).filter((e) => e.action === "package.share_revoked" && (e.data as { shareId?: string }).shareId === created.share.id);
    expect(revoked).toHaveLength(1);
    expect(revoked[0]).toMatchObject({ actorId: audit.reviewer.id, data: { packageId: pkg.id, label: "Wrong recipient" } });
    const listed = (await listPackageShares({ user: audit.owner, auditId: audit.auditId }))[pkg.id]!.find((s) => s.id === created.share.id)!;
    expect(listed).toMatchObject({ state: "revoked", downloads: 1 });
  });

  it("answers 404 to an unknown, a malformed and a provider's invite token", async () => {
    const invite = await createInviteRow(audit.auditId, audit.owner.id);
    for (const token of [unknownToken(), "not-a-token", invite.token]) {
      const { res, bytes } = await get("download", token);
      expect(res.status).toBe(404);
      expect(errorOf(bytes)).toEqual({ code: "NOT_FOUND", message: "This link does not exist." });
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
    }
    expect((await get("manifest", invite.token)).res.status).toBe(404);
  });

  it("answers 429 with Retry-After once a client has used up its guessing budget, even for a good link", async () => {
    const good = await createPackageShare({ user: audit.owner, input: { packageId: pkg.id, label: "Patient auditor" } });
    const client = newClient();
    for (let i = 0; i < BAD_TOKEN_LIMIT.attempts; i++) expect((await get("download", unknownToken(), client)).res.status).toBe(404);
    const limited = await get("download", unknownToken(), client);
    expect(limited.res.status).toBe(429);
    expect(Number(limited.res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(errorOf(limited.bytes).code).toBe("RATE_LIMITED");
    // Blocked before the lookup: a blocked client cannot tell a good link from a bad one.
    expect((await get("manifest", good.token, client)).res.status).toBe(429);
    // Other clients are not affected.
    expect((await get("manifest", good.token)).res.status).toBe(200);
    // Where the page sends a blocked client (/p/too-many-attempts): 429 for it, 200 for others.
    const page = await renderTooManyAttempts(new Headers({ "x-forwarded-for": client }), SHARE_LINK_WORDS);
    expect(page.status).toBe(429);
    expect(Number(page.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(page.headers.get("referrer-policy")).toBe("no-referrer");
    expect(await page.text()).toContain("Too many attempts");
    expect((await renderTooManyAttempts(new Headers({ "x-forwarded-for": newClient() }), SHARE_LINK_WORDS)).status).toBe(200);
  });
});
