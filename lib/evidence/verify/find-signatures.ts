import "server-only";
import { decodePdfText, type TPdfDict, type TPdfReader, type TPdfValue } from "./open-pdf-reader";

export interface TPdfSignature {
  /** The field's name (/T), e.g. "Signature1". */
  fieldName: string | null;
  /** The signature dictionary (/V of the field): /ByteRange, /Contents, /SubFilter, … */
  dict: TPdfDict;
}

const MAX_FIELDS = 10_000;

/**
 * The signatures of the document as viewers find them: signature fields (/FT /Sig, inherited
 * through /Kids) of the /AcroForm with a value. Found through the object graph, never by
 * searching the bytes, so that an attachment that happens to contain "/ByteRange" (an uploaded
 * PDF, stored uncompressed) cannot pass for the package's signature.
 */
export async function findSignatures(reader: TPdfReader): Promise<TPdfSignature[]> {
  const root = await reader.resolve(reader.trailer.entries.get("Root"));
  if (root?.kind !== "dict") return [];
  const form = await reader.resolve(root.entries.get("AcroForm"));
  if (form?.kind !== "dict") return [];
  const fields = await reader.resolve(form.entries.get("Fields"));
  if (fields?.kind !== "array") return [];

  const found: TPdfSignature[] = [];
  const seenFields = new Set<string>();
  const seenValues = new Set<string>();
  const queue: { value: TPdfValue; type: string | undefined }[] = fields.items.map((value) => ({ value, type: undefined }));
  for (let visited = 0; queue.length > 0; visited++) {
    if (visited > MAX_FIELDS) break;
    const { value, type: inherited } = queue.shift()!;
    if (value.kind === "ref") {
      const key = `${value.num} ${value.gen}`;
      if (seenFields.has(key)) continue;
      seenFields.add(key);
    }
    const field = await reader.resolve(value);
    if (field?.kind !== "dict") continue;
    const ft = field.entries.get("FT");
    const type = ft?.kind === "name" ? ft.value : inherited;
    const kids = await reader.resolve(field.entries.get("Kids"));
    if (kids?.kind === "array") queue.push(...kids.items.map((kid) => ({ value: kid, type })));
    const v = field.entries.get("V");
    if (type !== "Sig" || !v) continue;
    // A field and its widget may both point to one signature dictionary: count it once.
    if (v.kind === "ref") {
      const key = `${v.num} ${v.gen}`;
      if (seenValues.has(key)) continue;
      seenValues.add(key);
    }
    const dict = await reader.resolve(v);
    if (dict?.kind !== "dict") continue;
    const t = field.entries.get("T");
    found.push({ fieldName: t?.kind === "string" ? decodePdfText(t.bytes) : null, dict });
  }
  return found;
}
