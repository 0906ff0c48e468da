import type { ErrorCode } from '../../shared/api/errors';

/**
 * Every exit status of `valdrix`, so that scripts can tell a mistyped command from a bad file from a
 * busy workspace. docs/cli.md prints this table; test/integration/cli-exit-codes.test.ts keeps the two equal.
 */
export const EXIT_CODES = [
  { exit: 0, name: 'ok', meaning: 'success', codes: [] },
  {
    exit: 1,
    name: 'failed',
    meaning: 'Valdrix or its surroundings failed (a bug, an unreadable disk, no keychain)',
    codes: ['INTERNAL', 'UNAVAILABLE', 'MIGRATION_FAILED'],
  },
  {
    exit: 2,
    name: 'usage',
    meaning: 'the command line is wrong: unknown command or option, invalid value, no workspace given',
    codes: ['VALIDATION'],
  },
  {
    exit: 3,
    name: 'bad input',
    meaning: 'a file cannot be imported as it is: format, encoding, a bad row, a size limit',
    codes: ['IMPORT_FORMAT'],
  },
  {
    exit: 4,
    name: 'not found',
    meaning: 'a file, folder, job or event that was named does not exist',
    codes: ['NOT_FOUND'],
  },
  {
    exit: 5,
    name: 'busy',
    meaning: 'something else holds what the command needs (another import of the same data); try again later',
    codes: ['CONFLICT', 'RATE_LIMITED'],
  },
  {
    exit: 6,
    name: 'workspace',
    meaning: 'the folder is not a usable workspace, or was written by a newer Valdrix',
    codes: ['WORKSPACE_INVALID', 'WORKSPACE_TOO_NEW'],
  },
  {
    exit: 7,
    name: 'not intact',
    meaning: 'a check failed: the audit chain is broken or an export does not verify',
    codes: [],
  },
  {
    exit: 8,
    name: 'denied',
    meaning: 'not allowed: wrong credentials or a forbidden action',
    codes: ['AUTH', 'FORBIDDEN'],
  },
  {
    exit: 9,
    name: 'unsigned',
    meaning: 'an unsigned audit export is intact (hash chain and file hash) but carries no signature',
    codes: [],
  },
  {
    exit: 10,
    name: 'held',
    meaning: 'an import is held, not published: run `import accept RUN` or `import discard RUN`',
    codes: [],
  },
  {
    exit: 130,
    name: 'cancelled',
    meaning: 'interrupted (Ctrl+C) or cancelled; nothing was changed',
    codes: ['CANCELLED'],
  },
] as const satisfies readonly { exit: number; name: string; meaning: string; codes: readonly ErrorCode[] }[];

type ExitName = (typeof EXIT_CODES)[number]['name'];

/** The exit status of each outcome by name: EXIT['bad input'] is 3. */
export const EXIT = Object.fromEntries(EXIT_CODES.map((row) => [row.name, row.exit])) as Record<ExitName, number>;

const BY_ERROR_CODE = new Map<ErrorCode, number>(
  EXIT_CODES.flatMap((row) => row.codes.map((code) => [code, row.exit] as [ErrorCode, number])),
);

/** The exit status for an error that reached the command line. */
export function exitFor(code: ErrorCode): number {
  return BY_ERROR_CODE.get(code) ?? EXIT.failed;
}
