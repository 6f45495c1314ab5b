import { crc32 } from "node:zlib";

// Sample evidence files and multipart bodies, built in code, for the attachment tests and
// bench/upload.ts. Nothing in the app imports this.

export const samplePdf = (body = "Assay sample"): Buffer =>
  Buffer.from(`%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\n% ${body}\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n`);

/** A 1×1 transparent PNG. */
export const samplePng = (): Buffer =>
  Buffer.from(
    "89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000200a3f4a8a70000000049454e44ae426082",
    "hex",
  );

export const sampleJpeg = (): Buffer => Buffer.concat([Buffer.from("ffd8ffe000104a46494600010100000100010000", "hex"), Buffer.alloc(64), Buffer.from("ffd9", "hex")]);

/** A Windows executable's first bytes ("MZ" … "PE\0\0"). */
export const sampleExe = (): Buffer => {
  const b = Buffer.alloc(512);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(0x80, 0x3c);
  b.write("PE\0\0", 0x80, "latin1");
  return b;
};

export interface TZipEntry {
  name: string;
  data: Buffer;
}

/** The local header of a stored (uncompressed) ZIP entry. */
function localHeader(name: Buffer, size: number, crc: number): Buffer {
  const h = Buffer.alloc(30);
  h.writeUInt32LE(0x04034b50, 0);
  h.writeUInt16LE(20, 4); // version needed
  h.writeUInt16LE(0x0800, 6); // UTF-8 names
  h.writeUInt16LE(0, 8); // stored
  h.writeUInt32LE(0x00210000, 10); // 1980-01-01 00:00
  h.writeUInt32LE(crc, 14);
  h.writeUInt32LE(size, 18);
  h.writeUInt32LE(size, 22);
  h.writeUInt16LE(name.length, 26);
  return h;
}

function centralDirectory(entries: { name: Buffer; size: number; crc: number; offset: number }[], start: number): Buffer {
  const parts: Buffer[] = [];
  for (const e of entries) {
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE(20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x0800, 8);
    c.writeUInt32LE(0x00210000, 12);
    c.writeUInt32LE(e.crc, 16);
    c.writeUInt32LE(e.size, 20);
    c.writeUInt32LE(e.size, 24);
    c.writeUInt16LE(e.name.length, 28);
    c.writeUInt32LE(e.offset, 42);
    parts.push(c, e.name);
  }
  const cd = Buffer.concat(parts);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(start, 16);
  return Buffer.concat([cd, end]);
}

/** A valid ZIP archive with stored (uncompressed) entries. */
export function zipStored(entries: TZipEntry[]): Buffer {
  const out: Buffer[] = [];
  const meta: { name: Buffer; size: number; crc: number; offset: number }[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, "utf8");
    const crc = crc32(e.data);
    out.push(localHeader(name, e.data.length, crc), name, e.data);
    meta.push({ name, size: e.data.length, crc, offset });
    offset += 30 + name.length + e.data.length;
  }
  out.push(centralDirectory(meta, offset));
  return Buffer.concat(out);
}

/**
 * One stored entry of `size` bytes from `chunks` (e.g. random bytes), as a ZIP streamed piece by
 * piece: the CRC must be known up front, so `crc` is passed (compute it in a first pass).
 */
export function* zipStoredStream(name: string, size: number, crc: number, chunks: Iterable<Buffer>): Generator<Buffer> {
  const n = Buffer.from(name, "utf8");
  yield Buffer.concat([localHeader(n, size, crc), n]);
  yield* chunks;
  yield centralDirectory([{ name: n, size, crc, offset: 0 }], 30 + n.length + size);
}

const contentTypes = (main: string) =>
  Buffer.from(
    `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Override PartName="/main.xml" ContentType="${main}.main+xml"/></Types>`,
  );

export const sampleDocx = (): Buffer =>
  zipStored([
    { name: "[Content_Types].xml", data: contentTypes("application/vnd.openxmlformats-officedocument.wordprocessingml.document") },
    { name: "word/document.xml", data: Buffer.from("<w:document/>") },
  ]);

export const sampleXlsx = (): Buffer =>
  zipStored([
    { name: "[Content_Types].xml", data: contentTypes("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet") },
    { name: "xl/workbook.xml", data: Buffer.from("<workbook/>") },
  ]);

export const sampleZip = (): Buffer => zipStored([{ name: "policies/readme.txt", data: Buffer.from("Policies\n") }]);

// ── multipart/form-data bodies ──────────────────────────────────────────────────────────────

export const BOUNDARY = "----AssayTestBoundary7MA4YWxkTrZu0gW";

export function fieldPart(name: string, value: string, boundary = BOUNDARY): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`);
}

/** The header of a file part; the file's bytes follow, then "\r\n". */
export function fileHeader(fileName: string, { field = "file", contentType = "application/octet-stream", boundary = BOUNDARY } = {}): Buffer {
  return Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${field}"; filename="${fileName.replace(/"/g, "%22")}"\r\nContent-Type: ${contentType}\r\n\r\n`);
}

export const closing = (boundary = BOUNDARY): Buffer => Buffer.from(`--${boundary}--\r\n`);

/** A whole form: fields, then one file, then the closing boundary. */
export function multipartBody(fields: Record<string, string>, file: { name: string; data: Buffer; contentType?: string }): Buffer[] {
  return [
    ...Object.entries(fields).map(([k, v]) => fieldPart(k, v)),
    fileHeader(file.name, { contentType: file.contentType }),
    file.data,
    Buffer.from("\r\n"),
    closing(),
  ];
}

export const MULTIPART_CONTENT_TYPE = `multipart/form-data; boundary=${BOUNDARY}`;

export interface TBodyStats {
  /** Pieces and bytes the server pulled from the body. */
  pulledParts: number;
  pulledBytes: number;
  /** True once the server cancelled (stopped reading) the body. */
  cancelled: boolean;
}

/**
 * A request body that hands out one piece per pull (so a test can see how much the server
 * read before refusing), optionally failing after the pieces instead of ending (a client that
 * disconnects) or waiting on `gate` before a piece.
 */
export function bodyStream(
  pieces: Iterable<Buffer> | AsyncIterable<Buffer>,
  { abortAtEnd = false, gate }: { abortAtEnd?: boolean; gate?: (pulledBytes: number) => Promise<void> | void } = {},
): { stream: ReadableStream<Uint8Array>; stats: TBodyStats } {
  const stats: TBodyStats = { pulledParts: 0, pulledBytes: 0, cancelled: false };
  const it = Symbol.asyncIterator in pieces ? pieces[Symbol.asyncIterator]() : (pieces as Iterable<Buffer>)[Symbol.iterator]();
  const stream = new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        await gate?.(stats.pulledBytes);
        const next = await it.next();
        if (next.done) {
          if (abortAtEnd) controller.error(new Error("client went away"));
          else controller.close();
          return;
        }
        stats.pulledParts++;
        stats.pulledBytes += next.value.length;
        controller.enqueue(new Uint8Array(next.value.buffer, next.value.byteOffset, next.value.byteLength));
      },
      cancel() {
        stats.cancelled = true;
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, stats };
}

/** A POST whose body is `pieces`, streamed, with the multipart Content-Type and the given Content-Length (or none). */
export function uploadRequest(
  url: string,
  pieces: Iterable<Buffer> | AsyncIterable<Buffer>,
  { contentLength, contentType = MULTIPART_CONTENT_TYPE, ...options }: { contentLength?: number; contentType?: string; abortAtEnd?: boolean; gate?: (pulledBytes: number) => Promise<void> | void } = {},
): { request: Request; stats: TBodyStats } {
  const { stream, stats } = bodyStream(pieces, options);
  const headers: Record<string, string> = { "content-type": contentType };
  if (contentLength !== undefined) headers["content-length"] = String(contentLength);
  const request = new Request(url, { method: "POST", body: stream, headers, duplex: "half" } as RequestInit & { duplex: "half" });
  return { request, stats };
}
