// Expected failures carry a code the UI turns into a clear message; anything else is a bug,
// logged with a request id and shown as a generic error.

export const APP_ERROR_CODES = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  INVALID_INPUT: 400,
  CONFLICT: 409,
  TOO_LARGE: 413,
  RATE_LIMITED: 429,
  UNAVAILABLE: 503,
} as const;

export type AppErrorCode = keyof typeof APP_ERROR_CODES;

export class AppError extends Error {
  readonly code: AppErrorCode;
  /** Field-level messages, keyed by the form field's name. */
  readonly fieldErrors?: Record<string, string>;
  /** Extra data for the UI, e.g. the current version in a conflict. Never secrets. */
  readonly details?: unknown;

  constructor(
    code: AppErrorCode,
    message: string,
    options: { fieldErrors?: Record<string, string>; details?: unknown; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.fieldErrors = options.fieldErrors;
    this.details = options.details;
  }

  get status(): number {
    return APP_ERROR_CODES[this.code];
  }
}

export function isAppError(e: unknown): e is AppError {
  return e instanceof AppError;
}

/** What a server action returns instead of throwing, so the client can show it. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; code: AppErrorCode; message: string; fieldErrors?: Record<string, string>; details?: unknown };

/** An INVALID_INPUT error whose field errors are the first zod message of each top-level field. */
export function invalidInput(
  issues: readonly { path: readonly PropertyKey[]; message: string }[],
  message = "Some fields need attention.",
): AppError {
  const fieldErrors: Record<string, string> = {};
  for (const issue of issues) fieldErrors[String(issue.path[0] ?? "form")] ??= issue.message;
  return new AppError("INVALID_INPUT", message, { fieldErrors });
}
