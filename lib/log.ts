import { getEnv } from "@/lib/env";

// Structured logs, one JSON object a line. Keys that can carry secrets are redacted here, so
// that a careless call site cannot leak a token, password or cookie into the logs.

const LEVELS = { debug: 10, info: 20, warn: 30, error: 40 } as const;
type Level = keyof typeof LEVELS;

const SECRET_KEY = /secret|password|passphrase|token|cookie|authorization|credential|session|api[-_]?key/i;

export function redact(value: unknown, depth = 0): unknown {
  if (depth > 5 || value === null || typeof value !== "object") return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  return Object.fromEntries(
    Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, SECRET_KEY.test(k) ? "[redacted]" : redact(v, depth + 1)]),
  );
}

function write(level: Level, event: string, fields: Record<string, unknown> = {}) {
  let min: Level = "info";
  try {
    min = getEnv().LOG_LEVEL;
  } catch {
    // A broken environment is reported elsewhere; logging must not throw.
  }
  if (LEVELS[level] < LEVELS[min]) return;
  const line = JSON.stringify({ time: new Date().toISOString(), level, event, ...(redact(fields) as object) });
  (level === "error" || level === "warn" ? process.stderr : process.stdout).write(`${line}\n`);
}

export const log = {
  debug: (event: string, fields?: Record<string, unknown>) => write("debug", event, fields),
  info: (event: string, fields?: Record<string, unknown>) => write("info", event, fields),
  warn: (event: string, fields?: Record<string, unknown>) => write("warn", event, fields),
  error: (event: string, fields?: Record<string, unknown>) => write("error", event, fields),
};
