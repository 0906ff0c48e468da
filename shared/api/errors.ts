import { z } from 'zod';

/** Every error that crosses a boundary carries one of these codes. */
export const ErrorCodeSchema = z.enum([
  'VALIDATION',
  'NOT_FOUND',
  'CONFLICT',
  'IMPORT_FORMAT',
  'AUTH',
  'FORBIDDEN',
  'RATE_LIMITED',
  'UNAVAILABLE',
  'WORKSPACE_INVALID',
  'WORKSPACE_TOO_NEW',
  'MIGRATION_FAILED',
  'CANCELLED',
  'INTERNAL',
]);
export type ErrorCode = z.infer<typeof ErrorCodeSchema>;

/**
 * Errors about what was asked or given (a malformed file, an invalid request): running the same work
 * again fails the same way, so jobs do not retry them and nobody is offered a Retry that cannot help.
 */
export const BAD_INPUT_CODES: readonly ErrorCode[] = ['VALIDATION', 'IMPORT_FORMAT'];

export function isBadInput(error: { code: string } | null | undefined): boolean {
  return error !== null && error !== undefined && (BAD_INPUT_CODES as readonly string[]).includes(error.code);
}

export const AppErrorDataSchema = z.object({
  code: ErrorCodeSchema,
  message: z.string(),
  details: z.unknown().optional(),
});
export type AppErrorData = z.infer<typeof AppErrorDataSchema>;

/** An error with a code; survives IPC/HTTP as data (Electron keeps only an Error's message). */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly details: unknown;

  constructor(code: ErrorCode, message: string, details?: unknown) {
    super(message);
    this.name = 'AppError';
    this.code = code;
    this.details = details;
  }

  toData(): AppErrorData {
    return this.details === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, details: this.details };
  }

  static fromData(data: AppErrorData): AppError {
    return new AppError(data.code, data.message, data.details);
  }
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppErrorData };

export const ResultEnvelopeSchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }),
  z.object({ ok: z.literal(false), error: AppErrorDataSchema }),
]);

/** Turns anything thrown into error data; unknown errors become INTERNAL without leaking stack traces. */
export function toErrorData(error: unknown): AppErrorData {
  if (error instanceof AppError) return error.toData();
  if (error instanceof z.ZodError) {
    return {
      code: 'VALIDATION',
      message: describeZodError(error),
      details: { issues: error.issues.map((i) => ({ path: i.path.map(String), message: i.message })) },
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'INTERNAL', message };
}

/** "groupBy: Invalid option ..." style one-liner naming where the input is wrong. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(input)'}: ${i.message}`)
    .join('; ');
}
