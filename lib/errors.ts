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

/** details.reason of every refusal because the audit is signed off (the UI keys on it). */
export const SIGNED_OFF_REASON = "signed_off";

/** The refusal of any change to a signed-off audit's answers, files, ratings, verdict or clarifications. */
export function auditSignedOffError(what = "its answers, files, ratings, verdict and clarifications are"): AppError {
  return new AppError("FORBIDDEN", `This audit is signed off: ${what} read-only until an admin reopens it.`, { details: { reason: SIGNED_OFF_REASON } });
}

/**
 * The SQLSTATE of a database error, from node-postgres (`code`) or from Prisma's driver adapter
 * (`meta.driverAdapterError.cause.code`); undefined for anything else.
 */
export function sqlStateOf(e: unknown): string | undefined {
  if (typeof e !== "object" || e === null) return undefined;
  // Prisma's own code (P2010, P2039, …) wraps the database's: look for that first.
  const adapter = (e as { meta?: { driverAdapterError?: { cause?: { code?: unknown } } } }).meta?.driverAdapterError?.cause?.code;
  if (typeof adapter === "string") return adapter;
  const { code, severity } = e as { code?: unknown; severity?: unknown };
  if (typeof code === "string" && typeof severity === "string") return code; // a pg DatabaseError
  const cause = (e as { cause?: unknown }).cause;
  return cause && cause !== e ? sqlStateOf(cause) : undefined;
}

/**
 * Refusals the database raises itself, as the AppError the person should see. The one mapping
 * for every error translator (runAction, jsonError): a write that slipped past the application's
 * own check — e.g. an upload racing a sign-off — still reads "signed off", never a 500.
 * - AY002: the audit is signed off (triggers on answer, attachment, answer_rating, audit_verdict,
 *   clarification, clarification_message).
 */
export function appErrorFromDatabase(e: unknown): AppError | undefined {
  if (sqlStateOf(e) === "AY002") return auditSignedOffError();
  return undefined;
}
