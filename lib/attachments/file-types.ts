// The evidence file types Assay accepts, by extension. Pure: used by the upload check on the
// server and by the file input's `accept` on the client. The policy (why these, how each is
// recognised) is in docs/decisions/007-attachment-storage.md.

export interface TAllowedType {
  /** The type recorded and sent on download: always this one, never what the browser claimed. */
  mime: string;
  label: string;
  /**
   * Text has no magic bytes: it is accepted when the whole file is valid UTF-8 without NUL bytes
   * and nothing recognisable (an executable, an image…) was sniffed at its start.
   */
  text: boolean;
}

const PDF: TAllowedType = { mime: "application/pdf", label: "PDF", text: false };
const JPEG: TAllowedType = { mime: "image/jpeg", label: "JPEG image", text: false };

export const ALLOWED_TYPES: Readonly<Record<string, TAllowedType>> = {
  pdf: PDF,
  png: { mime: "image/png", label: "PNG image", text: false },
  jpg: JPEG,
  jpeg: JPEG,
  txt: { mime: "text/plain", label: "text file", text: true },
  csv: { mime: "text/csv", label: "CSV file", text: true },
  xlsx: { mime: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", label: "Excel workbook (.xlsx)", text: false },
  docx: { mime: "application/vnd.openxmlformats-officedocument.wordprocessingml.document", label: "Word document (.docx)", text: false },
  zip: { mime: "application/zip", label: "ZIP archive", text: false },
};

export const ALLOWED_EXTENSIONS = Object.keys(ALLOWED_TYPES);

/** For `<input type="file" accept=…>`: a hint to the file picker, not a check. */
export const ACCEPT_ATTRIBUTE = ALLOWED_EXTENSIONS.map((e) => `.${e}`).join(",");

/** "PDF, PNG, JPG, JPEG, TXT, CSV, XLSX, DOCX or ZIP" for messages. */
export const ALLOWED_EXTENSIONS_TEXT = `${ALLOWED_EXTENSIONS.slice(0, -1)
  .map((e) => e.toUpperCase())
  .join(", ")} or ${ALLOWED_EXTENSIONS.at(-1)!.toUpperCase()}`;

export function allowedTypeOf(extension: string): TAllowedType | undefined {
  return Object.hasOwn(ALLOWED_TYPES, extension) ? ALLOWED_TYPES[extension] : undefined;
}

/** "25 MiB", "1.5 KiB", "812 bytes": the same text on the server and in every browser. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  const units = ["KiB", "MiB", "GiB", "TiB"];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  const rounded = value >= 10 || Number.isInteger(value) ? Math.round(value).toString() : value.toFixed(1);
  return `${rounded} ${units[unit]}`;
}
