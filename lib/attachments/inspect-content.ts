import "server-only";
import { fileTypeFromBuffer } from "file-type";
import { AppError } from "@/lib/errors";
import { ALLOWED_EXTENSIONS_TEXT, allowedTypeOf, type TAllowedType } from "./file-types";

// What a file really is, judged on its bytes: the sniffed type must be on the allow-list and
// agree with the file's extension. Text has no magic bytes, so a .txt/.csv file must be UTF-8
// (without NUL bytes) from its first byte to its last — checked as it streams past.

const refuse = (message: string, reason: string) => new AppError("INVALID_INPUT", message, { fieldErrors: { file: message }, details: { reason } });

/** Refuses an extension that is not on the allow-list, before any byte is read. */
export function requireAllowedExtension(fileName: string, extension: string): TAllowedType {
  const allowed = allowedTypeOf(extension);
  if (!allowed) {
    throw refuse(
      extension
        ? `"${fileName}": .${extension} files are not accepted. Upload a ${ALLOWED_EXTENSIONS_TEXT} file.`
        : `"${fileName}" has no extension. Upload a ${ALLOWED_EXTENSIONS_TEXT} file.`,
      "type_not_allowed",
    );
  }
  return allowed;
}

/**
 * Checks the first bytes of a file (at least 4100 of them unless the file is shorter) against
 * the type its extension promises. For text, returns a validator for the rest of the stream.
 */
export async function inspectFileHead(
  head: Uint8Array,
  { fileName, extension }: { fileName: string; extension: string },
): Promise<{ type: TAllowedType; validateMore: ((chunk: Uint8Array) => void) & { end(): void } }> {
  const expected = requireAllowedExtension(fileName, extension);
  const sniffed = await fileTypeFromBuffer(head);
  const looksLike = sniffed ? ` (its content looks like a .${sniffed.ext} file)` : "";
  if (expected.text) {
    if (sniffed) throw refuse(`"${fileName}" is not a plain ${expected.label}${looksLike}.`, "type_mismatch");
    const validate = utf8Validator(fileName, expected);
    validate(head);
    return { type: expected, validateMore: validate };
  }
  if (!sniffed || sniffed.mime !== expected.mime) {
    throw refuse(`"${fileName}" is not a ${expected.label}${looksLike || " (its content is not recognisable as one)"}.`, "type_mismatch");
  }
  return { type: expected, validateMore: Object.assign(() => {}, { end() {} }) };
}

/** Streaming UTF-8 check: a decoder in fatal mode, fed chunk by chunk (split characters are fine). */
function utf8Validator(fileName: string, expected: TAllowedType) {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const invalid = () => refuse(`"${fileName}" is not a ${expected.label}: only UTF-8 text is accepted.`, "not_utf8");
  const validate = (chunk: Uint8Array) => {
    if (chunk.includes(0)) throw refuse(`"${fileName}" is not a ${expected.label}: it contains binary data.`, "binary_text");
    try {
      decoder.decode(chunk, { stream: true });
    } catch {
      throw invalid();
    }
  };
  return Object.assign(validate, {
    end() {
      try {
        decoder.decode(); // a character cut off at the end
      } catch {
        throw invalid();
      }
    },
  });
}
