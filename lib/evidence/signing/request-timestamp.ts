import "server-only";
import { createHash, randomBytes } from "node:crypto";
import * as asn1js from "asn1js";
import * as pkijs from "pkijs";
import { AppError } from "@/lib/errors";
import { verifyTimestampToken } from "@/lib/evidence/verify/verify-timestamp-token";
import { OID } from "./cms-oids";

const TIMEOUT_MS = 20_000;
/** A timestamp reply is a few KiB; anything much larger is not one. */
const MAX_REPLY_BYTES = 256 * 1024;

/**
 * Asks the RFC 3161 timestamp authority at `url` to stamp `data` (a PDF signature's value, per
 * RFC 3161 appendix A), and returns the token as the authority sent it (DER bytes, re-encoding
 * could break its signature). The reply must be granted, for our imprint and our nonce, and
 * its token must verify: a broken token is refused here, not discovered by the package's reader.
 */
export async function requestTimestamp(options: { url: string; data: Buffer }): Promise<{ token: Buffer; time: Date; tsa: string }> {
  const { url } = options;
  const imprint = createHash("sha256").update(options.data).digest();
  // 64 random bits, positive and without a leading zero byte (so DER keeps all 8 bytes).
  const nonceBytes = randomBytes(8);
  nonceBytes[0] = (nonceBytes[0]! & 0x7f) | 0x01;
  const nonce = BigInt(`0x${nonceBytes.toString("hex")}`);
  const request = new pkijs.TimeStampReq({
    version: 1,
    messageImprint: new pkijs.MessageImprint({
      hashAlgorithm: new pkijs.AlgorithmIdentifier({ algorithmId: OID.sha256 }),
      hashedMessage: new asn1js.OctetString({ valueHex: imprint }),
    }),
    nonce: new asn1js.Integer({ valueHex: nonceBytes }),
    certReq: true,
  });

  let reply: Buffer;
  try {
    const response = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/timestamp-query", accept: "application/timestamp-reply" },
      body: Buffer.from(request.toSchema().toBER()),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    reply = await readLimited(response);
  } catch (e) {
    throw unavailable(url, `did not answer the timestamp request (${e instanceof Error ? e.message : String(e)})`, e);
  }

  const parsed = asn1js.fromBER(reply);
  if (parsed.offset === -1) throw unavailable(url, "sent a reply that is not a timestamp response");
  let response: pkijs.TimeStampResp;
  try {
    response = new pkijs.TimeStampResp({ schema: parsed.result });
  } catch (e) {
    throw unavailable(url, "sent a reply that is not a timestamp response", e);
  }
  const status = response.status.status;
  if (status !== pkijs.PKIStatus.granted && status !== pkijs.PKIStatus.grantedWithMods) {
    const text = response.status.statusStrings?.map((s) => s.valueBlock.value).join("; ");
    throw unavailable(url, `refused the timestamp request (status ${status}${text ? `: ${text}` : ""})`);
  }
  // TimeStampResp ::= SEQUENCE { status, timeStampToken OPTIONAL }: the token's original bytes.
  const tokenBlock = (parsed.result as asn1js.Sequence).valueBlock.value[1];
  if (!tokenBlock) throw unavailable(url, "granted the request but sent no token");
  const token = Buffer.from(tokenBlock.valueBeforeDecodeView);

  const check = verifyTimestampToken(token, options.data);
  if (check.problems.length > 0 || !check.time || !check.tsa) {
    throw unavailable(url, `sent a timestamp that does not verify: ${check.problems.join("; ") || "incomplete token"}`);
  }
  if (check.nonce !== nonce) throw unavailable(url, "answered with a timestamp for another request (nonce mismatch)");
  return { token, time: check.time, tsa: check.tsa };
}

function unavailable(url: string, what: string, cause?: unknown): AppError {
  return new AppError("UNAVAILABLE", `The timestamp authority at ${url} ${what}.`, { cause });
}

async function readLimited(response: Response): Promise<Buffer> {
  const declared = Number(response.headers.get("content-length") ?? "0");
  if (declared > MAX_REPLY_BYTES) throw new Error(`reply of ${declared} bytes is too large`);
  const chunks: Buffer[] = [];
  let size = 0;
  if (!response.body) return Buffer.alloc(0);
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks);
    size += value.byteLength;
    if (size > MAX_REPLY_BYTES) {
      await reader.cancel();
      throw new Error("reply is too large");
    }
    chunks.push(Buffer.from(value));
  }
}
