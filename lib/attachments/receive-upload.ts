import "server-only";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { ReadableStream as NodeWebReadableStream } from "node:stream/web";
import busboy from "busboy";
import { AppError } from "@/lib/errors";
import { MULTIPART_LIMITS, UPLOAD_STALL_MS } from "./limits";

// Streams a multipart/form-data request: the named text fields first, then exactly one file,
// parsed by busboy straight from the request body — nothing is buffered beyond busboy's and
// the consumer's working chunk. Every way a form can be wrong ends in one AppError, the body
// is no longer read, and the consumer's work (its transaction) is awaited before returning.

export interface TIncomingFile {
  /** The file name the client sent, untrusted (sanitise it). */
  fileName: string;
  /** The file's bytes; throws the request's failure if the request fails while it is read. */
  bytes: AsyncIterable<Uint8Array>;
  /** The fields that came before the file. */
  fields: Record<string, string>;
  /**
   * Settles when the whole request has been parsed: rejects if anything after the file is
   * wrong (a second file, a field, a truncated body). Await it before committing.
   */
  complete: Promise<void>;
}

const bad = (message: string, reason: string, field?: string) =>
  new AppError("INVALID_INPUT", message, { details: { reason }, ...(field ? { fieldErrors: { [field]: message } } : {}) });

/**
 * Parses `request` and calls `handleFile` for its one file part. `handleFile` must consume
 * `file.bytes` (or throw) and await `file.complete` before it commits anything.
 */
export async function receiveUpload<T>({
  request,
  fieldNames,
  fileField,
  maxFileBytes,
  tooLarge,
  handleFile,
}: {
  request: Request;
  fieldNames: readonly string[];
  fileField: string;
  /** The largest acceptable file: one byte more and the request fails with `tooLarge(fileName)`, at once. */
  maxFileBytes: number;
  tooLarge: (fileName: string) => AppError;
  handleFile: (file: TIncomingFile) => Promise<T>;
}): Promise<T> {
  const contentType = request.headers.get("content-type") ?? "";
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw bad("Send the file as multipart/form-data.", "not_multipart");
  }
  if (!request.body) throw bad("The request has no body: choose a file to upload.", "no_file", fileField);

  let parser: busboy.Busboy;
  try {
    parser = busboy({
      headers: { "content-type": contentType },
      // Browsers send UTF-8 file names in filename="…"; busboy's default would read them as Latin-1.
      defParamCharset: "utf8",
      limits: { ...MULTIPART_LIMITS, fileSize: maxFileBytes + 1 },
    });
  } catch {
    throw bad("The upload is not a valid multipart form.", "bad_multipart");
  }

  const source = Readable.fromWeb(request.body as unknown as NodeWebReadableStream<Uint8Array>);
  const fields: Record<string, string> = {};
  // Errors raised by the request's own streams (an aborted or truncated body), as opposed to the
  // consumer's (a database error): the first are the client's problem, the second ours.
  const streamErrors = new WeakSet<object>();
  const noteStreamError = (e: unknown) => void (typeof e === "object" && e !== null && streamErrors.add(e));
  source.on("error", noteStreamError);
  parser.on("error", noteStreamError);
  let failure: AppError | undefined;
  let fileStream: Readable | undefined;
  let fileTask: Promise<T> | undefined;
  let settleComplete!: { resolve: () => void; reject: (e: Error) => void };
  const complete = new Promise<void>((resolve, reject) => (settleComplete = { resolve, reject }));
  complete.catch(() => {}); // observed through `failure` when no file handler awaits it

  /** The first failure wins; everything reading the request stops, the file stream included. */
  const fail = (e: AppError) => {
    if (failure) return;
    failure = e;
    settleComplete.reject(e);
    fileStream?.destroy(e);
    parser.destroy(e);
    source.destroy(e);
  };

  parser.on("field", (name, value, info) => {
    if (fileTask) return fail(bad("Put the fields before the file in the form.", "field_after_file", name));
    if (!fieldNames.includes(name)) return fail(bad(`Unknown field "${name.slice(0, 64)}".`, "unknown_field"));
    if (Object.hasOwn(fields, name)) return fail(bad(`The field "${name}" was sent twice.`, "duplicate_field", name));
    if (info.nameTruncated || info.valueTruncated) return fail(bad(`The field "${name}" is too long.`, "field_too_long", name));
    fields[name] = value;
  });
  parser.on("file", (name, stream, info) => {
    fileStream = stream;
    stream.on("error", noteStreamError);
    // Busboy passes maxFileBytes + 1 bytes, then discards the rest of the file without reading
    // it into anything — but it would still read the whole body. Stop here instead.
    stream.on("limit", () => fail(tooLarge(info.filename ?? "")));
    if (name !== fileField) {
      stream.resume();
      return fail(bad(`Send the file in the field "${fileField}".`, "unknown_field"));
    }
    if (failure) return void stream.destroy(failure);
    const file: TIncomingFile = { fileName: info.filename ?? "", bytes: stallGuard(stream), fields: { ...fields }, complete };
    fileTask = handleFile(file);
    fileTask.catch((e: unknown) => fail(asAppError(e) ?? (typeof e === "object" && e !== null && streamErrors.has(e) ? streamFailure(e) : internal(e))));
  });
  parser.on("filesLimit", () => fail(bad("Upload one file at a time.", "too_many_files", fileField)));
  parser.on("fieldsLimit", () => fail(bad("The form has too many fields.", "too_many_parts")));
  parser.on("partsLimit", () => fail(bad("The form has too many parts.", "too_many_parts")));

  const parsed = pipeline(source, parser).then(
    () => {
      if (!fileTask) fail(bad("Choose a file to upload.", "no_file", fileField));
      else settleComplete.resolve();
    },
    (e: unknown) => fail(asAppError(e) ?? streamFailure(e)),
  );

  await parsed;
  if (!fileTask) throw failure!;
  // Await the consumer even when the request already failed: its transaction must be over
  // (rolled back) before the response goes out, or the connection would sit idle in it.
  const outcome = await fileTask.then(
    (value) => ({ ok: true as const, value }),
    (error: unknown) => ({ ok: false as const, error }),
  );
  if (failure) throw failure.cause instanceof InternalFailure ? failure.cause.error : failure;
  if (!outcome.ok) throw outcome.error;
  return outcome.value;
}

/** A failure of the consumer that is not an expected refusal: rethrown as it was (a 500 or 503). */
class InternalFailure extends Error {
  constructor(readonly error: unknown) {
    super("internal failure");
  }
}
const internal = (e: unknown) => new AppError("UNAVAILABLE", "The upload failed.", { cause: new InternalFailure(e) });

function asAppError(e: unknown): AppError | undefined {
  return e instanceof AppError ? e : undefined;
}

/** What the request stream's own failures mean to the person uploading. */
function streamFailure(e: unknown): AppError {
  const message = e instanceof Error ? e.message : String(e);
  if (/Malformed|boundary/i.test(message)) return bad("The upload is not a valid multipart form.", "bad_multipart");
  return bad("The upload ended before the whole file arrived. Try again.", "incomplete");
}

/**
 * The file's bytes, destroying the stream (and so the request) when the client sends nothing
 * for UPLOAD_STALL_MS. The timer runs only while waiting for the client, not while the
 * consumer writes a chunk.
 */
async function* stallGuard(stream: Readable): AsyncGenerator<Uint8Array> {
  const it = stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
  let timer: NodeJS.Timeout | undefined;
  try {
    for (;;) {
      timer = setTimeout(
        () => stream.destroy(bad(`Nothing arrived for ${UPLOAD_STALL_MS / 1000} seconds; the upload was abandoned.`, "stalled")),
        UPLOAD_STALL_MS,
      );
      const next = await it.next();
      clearTimeout(timer);
      if (next.done) return;
      yield next.value;
    }
  } finally {
    clearTimeout(timer);
  }
}
