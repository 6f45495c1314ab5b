import { createHash, randomBytes } from "node:crypto";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MiB } from "@/lib/attachments/limits";
import { fieldPart, fileHeader, closing, MULTIPART_CONTENT_TYPE, zipStored } from "@/lib/attachments/sample-files";
import { getDb } from "@/lib/db";
import { createInvite } from "@/lib/invites/create-invite";
import { createTestAudit, createUser } from "../factories";
import { rawRequest, SERVER_SECRET, startProductionServer, type TProductionServer } from "./production-server";

// The attachment routes through the real production server (as `npm start` runs it) on this
// run's database: what only the real server shows — route segment config (Node runtime), request
// bodies streamed past Next's 10 MB proxy copy limit, a 413 before the body is sent, and the
// download headers as they reach a client (Next drops Content-Length).

let server: TProductionServer;
const request = (method: string, urlPath: string, options?: Parameters<typeof rawRequest>[3]) => rawRequest(server.port, method, urlPath, options);

beforeAll(async () => {
  server = await startProductionServer();
}, 300_000);

afterAll(async () => {
  await server?.stop();
});

describe("attachments through the production server", () => {
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

    const cookie = async (userId: string) => `next-auth.session-token=${await encode({ token: { uid: userId, sub: userId }, secret: SERVER_SECRET })}`;
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
