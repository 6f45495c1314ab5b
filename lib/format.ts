/** "2026-11-23 15:04 UTC": the same text on the server and in every browser (no hydration mismatch). */
export function formatDateTime(value: Date | string): string {
  const iso = typeof value === "string" ? value : value.toISOString();
  return `${iso.slice(0, 16).replace("T", " ")} UTC`;
}
