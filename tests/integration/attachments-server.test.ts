import { spawn, type ChildProcess } from "node:child_process";
import { createHash, randomBytes } from "node:crypto";
import http from "node:http";
import { createServer } from "node:net";
import path from "node:path";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MiB } from "@/lib/attachments/limits";
import { fieldPart, fileHeader, closing, MULTIPART_CONTENT_TYPE, zipStored } from "@/lib/attachments/sample-files";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { ensureBuild } from "../../scripts/lib/ensure-build";
import { createTestAudit, createUser } from "../factories";

// The attachment routes through the real production server (`next start`) on this run's
// database: what only the real server shows — route segment config (Node runtime), request
// bodies streamed past Next's 10 MB proxy copy limit, a 413 before the body is sent, and the
// download headers as they reach a client (Next drops Content-Length).

const ROOT = process.cwd();
const SECRET = randomBytes(32).toString("base64url");

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = createServer().listen(0, "127.0.0.1", () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

let server: ChildProcess;
let port: number;
let output = "";

beforeAll(async () => {
  await ensureBuild(() => {});
  port = await freePort();
  server = spawn(path.join(ROOT, "node_modules", ".bin", "next"), ["start", "-p", String(port), "-H", "127.0.0.1"], {
    cwd: ROOT,
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      ASSAY_ENV: "test",
      LOG_LEVEL: "warn",
      DATABASE_URL: process.env.DATABASE_URL,
      NEXTAUTH_URL: `http://127.0.0.1:${port}`,
      NEXTAUTH_SECRET: SECRET,
      // Never contacted: sessions below are minted with the secret, as after a sign-in.
      OIDC_ISSUER: "http://127.0.0.1:9/",
      OIDC_CLIENT_ID: "assay-test",
      OIDC_CLIENT_SECRET: "assay-test-secret",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  server.stdout!.on("data", (d) => (output += d));
  server.stderr!.on("data", (d) => (output += d));
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (server.exitCode !== null) throw new Error(`next start exited:\n${output}`);
    const ok = await fetch(`http://127.0.0.1:${port}/api/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > deadline) throw new Error(`next start did not become healthy:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}, 300_000);

afterAll(async () => {
  if (server && server.exitCode === null) {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
  }
});

/** A raw HTTP request, so that the body can be streamed (chunked) or withheld entirely. */
function request(
  method: string,
  urlPath: string,
  { headers = {}, body }: { headers?: Record<string, string>; body?: (req: http.ClientRequest) => void } = {},
): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: "127.0.0.1", port, method, path: urlPath, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
      res.on("error", reject);
    });
    // The server may answer (413) and close before the body is sent: that is the point.
    req.on("error", (e) => (e.message.includes("EPIPE") || e.message.includes("ECONNRESET") ? undefined : reject(e)));
    if (body) body(req);
    else req.end();
  });
}

describe("attachments through next start", () => {
  it("streams a 12 MiB provider upload through the Node runtime, whole (past the proxy's 10 MB copy)", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const { token } = await createInvite({ actor: owner, input: { auditId, name: "Pat", email: "pat@provider.test" }, mailer: null });
    const zip = zipStored([{ name: "export.bin", data: randomBytes(12 * MiB) }]);
    const res = await request("POST", `/api/r/${token}/attachments`, {
      headers: { "content-type": MULTIPART_CONTENT_TYPE, "transfer-encoding": "chunked" },
      body: (req) => {
        req.write(fieldPart("evidenceItemId", "ownership-structure"));
        req.write(fileHeader("export.zip"));
        for (let i = 0; i < zip.length; i += MiB) req.write(zip.subarray(i, i + MiB));
        req.write("\r\n");
        req.end(closing());
      },
    });
    expect(res.status, res.body.toString()).toBe(201);
    const { data } = JSON.parse(res.body.toString()) as { data: { id: string; size: number; sha256: string } };
    expect(data.size).toBe(zip.length);
    expect(data.sha256).toBe(createHash("sha256").update(zip).digest("hex"));
    expect(await getDb().attachmentChunk.count({ where: { attachmentId: data.id } })).toBe(13);

    // And back, through the provider's download route.
    const down = await request("GET", `/api/r/${token}/attachments/${data.id}`);
    expect(down.status).toBe(200);
    expect(down.body.equals(zip)).toBe(true);
  });

  it("answers 413 to an oversize Content-Length before the body is sent", async () => {
    const owner = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const { token } = await createInvite({ actor: owner, input: { auditId, name: "Pat", email: "pat@provider.test" }, mailer: null });
    // Headers only: the body is never written, so a response proves nothing waited for it.
    const res = await request("POST", `/api/r/${token}/attachments`, {
      headers: { "content-type": MULTIPART_CONTENT_TYPE, "content-length": String(200 * MiB) },
      body: (req) => req.flushHeaders(),
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: "TOO_LARGE", field: "file", details: { reason: "file_too_large" } } });
    expect(await getDb().attachment.count({ where: { auditId } })).toBe(0);
  });

  it("serves a member's download with the attachment headers; a signed-in non-member gets 404", async () => {
    const owner = await createUser(["OFFICER"]);
    const stranger = await createUser(["OFFICER"]);
    const { id: auditId } = await createTestAudit(owner);
    const { token } = await createInvite({ actor: owner, input: { auditId, name: "Pat", email: "pat@provider.test" }, mailer: null });
    const pdf = Buffer.from("%PDF-1.4\n% Über-Zertifikat\n%%EOF\n");
    const up = await request("POST", `/api/r/${token}/attachments`, {
      headers: { "content-type": MULTIPART_CONTENT_TYPE },
      body: (req) => req.end(Buffer.concat([fieldPart("evidenceItemId", "certificates"), fileHeader("Zertifikat – ISO 27001.pdf"), pdf, Buffer.from("\r\n"), closing()])),
    });
    expect(up.status, up.body.toString()).toBe(201);
    const { data } = JSON.parse(up.body.toString()) as { data: { id: string } };

    const cookie = async (userId: string) => `next-auth.session-token=${await encode({ token: { uid: userId, sub: userId }, secret: SECRET })}`;
    const res = await request("GET", `/api/attachments/${data.id}`, { headers: { cookie: await cookie(owner.id) } });
    expect(res.status).toBe(200);
    expect(res.body.equals(pdf)).toBe(true);
    expect(res.headers["content-type"]).toBe("application/pdf");
    expect(res.headers["content-disposition"]).toBe(`attachment; filename="Zertifikat _ ISO 27001.pdf"; filename*=UTF-8''Zertifikat%20%E2%80%93%20ISO%2027001.pdf`);
    expect(res.headers["x-content-type-options"]).toBe("nosniff");
    expect(res.headers["cache-control"]).toBe("private, no-store");
    expect(res.headers["x-attachment-size"]).toBe(String(pdf.length));
    // next.config.ts's site-wide policy replaces the route's own ("default-src 'none'; sandbox")
    // until next.config gives these paths theirs; either way a policy is there.
    expect(String(res.headers["content-security-policy"])).toContain("default-src");

    const hidden = await request("GET", `/api/attachments/${data.id}`, { headers: { cookie: await cookie(stranger.id) } });
    expect(hidden.status).toBe(404);
    const anonymous = await request("GET", `/api/attachments/${data.id}`);
    expect(anonymous.status).toBe(401);
  });
});
