// File names from uploads are untrusted text that ends up in the UI, in the audit trail and in a
// Content-Disposition header. Pure: no I/O, unit-tested beside it.
//
// Policy: a name is cleaned, not refused — except when nothing usable is left of its extension,
// which the type check needs. See docs/decisions/007-attachment-storage.md.

/** Longest stored name, in characters (code points), extension included. */
export const MAX_FILE_NAME_LENGTH = 120;

// Characters that must never reach a name:
// - C0/C1 control characters and DEL (line breaks would split headers and log lines);
// - bidirectional overrides/isolates/marks (U+202E turns "invoice‮fdp.exe" into "invoiceexe.pdf" on screen);
// - zero-width and invisible joiners, the BOM, line/paragraph separators.
const INVISIBLE = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff\ufff9-\ufffb]/gu;
// Reserved on Windows (and awkward everywhere) when a file is saved under this name.
const RESERVED_CHARACTERS = /[<>:"|?*]/g;
// Windows device names, with or without an extension: "CON", "nul.txt", "COM1.pdf"…
const RESERVED_NAMES = /^(con|prn|aux|nul|com[0-9¹²³]|lpt[0-9¹²³]|conin\$|conout\$)$/i;

export interface TCleanFileName {
  /** base + "." + extension, at most MAX_FILE_NAME_LENGTH characters. */
  name: string;
  /** Lower-case, without the dot; "" when the name has none. */
  extension: string;
}

/**
 * Cleans a client-sent file name: the last path segment only (no "../", no "C:\"), Unicode NFC,
 * no invisible or direction-changing characters, no characters Windows refuses, no device
 * names, no leading/trailing dots or spaces, at most MAX_FILE_NAME_LENGTH characters with the
 * extension kept. Returns an empty extension when the name has none: the caller refuses it.
 */
export function sanitizeFileName(raw: string): TCleanFileName {
  let name = raw.normalize("NFC");
  name = name.slice(Math.max(name.lastIndexOf("/"), name.lastIndexOf("\\")) + 1);
  name = name.replace(INVISIBLE, "").replace(RESERVED_CHARACTERS, "_").replace(/\s+/gu, " ");
  name = name.replace(/^[\s.]+|[\s.]+$/gu, "");

  const dot = name.lastIndexOf(".");
  let base = dot > 0 ? name.slice(0, dot).replace(/[\s.]+$/u, "") : dot === 0 ? "" : name;
  let extension = dot >= 0 ? name.slice(dot + 1).toLowerCase() : "";
  // An "extension" with spaces or over 10 characters is part of the name ("Report v1.2 final").
  if (extension && !/^[\p{L}\p{N}]{1,10}$/u.test(extension)) {
    base = name;
    extension = "";
  }

  if (RESERVED_NAMES.test(base.split(".")[0] ?? "")) base = `_${base}`;
  if (base === "") base = "file";

  const room = MAX_FILE_NAME_LENGTH - (extension ? extension.length + 1 : 0);
  const chars = Array.from(base);
  if (chars.length > room) base = chars.slice(0, room).join("").replace(/[\s.]+$/u, "") || "file";
  return { name: extension ? `${base}.${extension}` : base, extension };
}

/**
 * `attachment; filename="<ASCII fallback>"; filename*=UTF-8''<percent-encoded>` (RFC 6266 /
 * RFC 8187). The fallback is for old clients; every current browser uses filename*.
 */
export function contentDisposition(fileName: string): string {
  const fallback = fileName.replace(/[^\x20-\x7e]|["\\%;]/g, "_");
  const encoded = encodeURIComponent(fileName).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
