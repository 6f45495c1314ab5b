import { z } from "zod";

/** Optional free text from a form: trimmed, empty means absent, at most `max` characters. */
export const optionalText = (max: number) =>
  z
    .string()
    .trim()
    .max(max, `keep it under ${max} characters`)
    .transform((s) => (s === "" ? undefined : s))
    .optional();
