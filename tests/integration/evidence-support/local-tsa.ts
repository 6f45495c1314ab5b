import { execFile, execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { promisify } from "node:util";

// A local RFC 3161 timestamp authority for the tests: a throwaway CA and a TSA certificate
// (extendedKeyUsage critical timeStamping) made with openssl, and an HTTP server that hands each
// request to `openssl ts -reply`. One request at a time: `openssl ts` increments a serial file.

const run = promisify(execFile);

export interface TLocalTsa {
  url: string;
  /** The CA that issued the TSA certificate (PEM path), for `openssl ts -verify -CAfile`. */
  caPath: string;
  /** Requests answered so far. */
  answered(): number;
  close(): Promise<void>;
}

export async function startLocalTsa(dir: string): Promise<TLocalTsa> {
  const p = (name: string) => path.join(dir, name);
  const openssl = (args: string[]) => execFileSync("openssl", args, { stdio: "pipe" });
  openssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", p("ca.key"), "-out", p("ca.pem"), "-days", "2", "-subj", "/CN=Assay Test TSA Root",
    "-addext", "basicConstraints=critical,CA:TRUE", "-addext", "keyUsage=critical,keyCertSign,cRLSign"]);
  openssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", p("tsa.key"), "-out", p("tsa.csr"), "-subj", "/CN=Assay Test TSA/O=Test"]);
  await writeFile(p("tsa-ext.cnf"), "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,nonRepudiation\nextendedKeyUsage=critical,timeStamping\n");
  openssl(["x509", "-req", "-in", p("tsa.csr"), "-CA", p("ca.pem"), "-CAkey", p("ca.key"), "-CAcreateserial", "-out", p("tsa.pem"), "-days", "2", "-extfile", p("tsa-ext.cnf")]);
  await writeFile(p("tsaserial"), "01\n");
  await writeFile(
    p("tsa.cnf"),
    [
      "[ tsa ]",
      "default_tsa = tsa_config",
      "[ tsa_config ]",
      `serial = ${p("tsaserial")}`,
      "crypto_device = builtin",
      `signer_cert = ${p("tsa.pem")}`,
      `signer_key = ${p("tsa.key")}`,
      "signer_digest = sha256",
      "default_policy = 1.2.3.4.1",
      "digests = sha256, sha384, sha512",
      "accuracy = secs:1",
      "ordering = yes",
      "tsa_name = yes",
      "ess_cert_id_alg = sha256",
      "",
    ].join("\n"),
  );

  let count = 0;
  let queue: Promise<unknown> = Promise.resolve();
  const reply = async (query: Buffer): Promise<Buffer> => {
    const n = ++count;
    await writeFile(p(`q${n}.tsq`), query);
    await run("openssl", ["ts", "-reply", "-config", p("tsa.cnf"), "-queryfile", p(`q${n}.tsq`), "-signer", p("tsa.pem"), "-inkey", p("tsa.key"), "-out", p(`r${n}.tsr`)]);
    return readFile(p(`r${n}.tsr`));
  };
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const answer = queue.then(() => reply(Buffer.concat(chunks)));
      queue = answer.catch(() => undefined);
      answer.then(
        (body) => res.writeHead(200, { "content-type": "application/timestamp-reply" }).end(body),
        (e: unknown) => res.writeHead(500).end(String(e)),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/tsa`,
    caPath: p("ca.pem"),
    answered: () => count,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
