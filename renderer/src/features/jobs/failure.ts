import { z } from 'zod';
import type { Job } from '../../../../shared/api/jobs';
import { asSentence } from '../../lib/format';
import { baseName } from '../import/format';

/** Where an import stopped, as the core reports it in the error's details. */
const FailureDetailsSchema = z.object({
  file: z.string().optional(),
  line: z.number().int().nullable().optional(),
  column: z.string().nullable().optional(),
  /** The message without its location prefix (which names the file by its full, possibly internal, path). */
  reason: z.string().optional(),
  /** Files already current under another source (the core refused to count them twice). */
  duplicates: z.array(z.unknown()).optional(),
});

export interface JobFailure {
  /** "Line 5, column BilledCost: amount is not a number: "NaN"", in plain words, no paths, no codes. */
  summary: string;
  /** The file's name (never its folder: browser uploads live in an internal folder). */
  fileName: string | null;
  line: number | null;
  column: string | null;
  /** What the user can do about it. */
  advice: string;
}

/**
 * A failed or cancelled job's error said for people: null when there is nothing to say (no error, or a
 * cancellation someone asked for, which is not a failure). The raw code and message stay in "Copy details".
 */
export function describeFailure(job: Pick<Job, 'status' | 'error' | 'type'>): JobFailure | null {
  const error = job.error;
  if (!error || job.status === 'succeeded' || job.status === 'cancelled' || error.code === 'CANCELLED') return null;
  const parsed = FailureDetailsSchema.safeParse(error.details);
  const details = parsed.success ? parsed.data : {};
  const line = details.line ?? null;
  const column = details.column ?? null;
  const reason = details.reason ?? (details.file ? stripLocation(error.message, details.file) : error.message);
  const where = [line !== null ? `Line ${line.toLocaleString('en-US')}` : null, column ? `column ${column}` : null]
    .filter(Boolean)
    .join(', ');
  return {
    summary: where ? `${where}: ${reason}` : asSentence(reason),
    fileName: details.file ? baseName(details.file.replace(/[\\/]+$/, '')) : null,
    line,
    column,
    advice: details.duplicates?.length
      ? 'Import it under that source name to update it, or tick “Move it to this source” and import again. Nothing was imported.'
      : adviceFor(error.code, line !== null, job.type),
  };
}

/** Older errors carry "PATH:LINE (column "X"): reason"; the path is dropped, whatever it was. */
function stripLocation(message: string, file: string): string {
  if (!message.startsWith(file)) return message;
  const rest = message.slice(file.length);
  const colon = rest.indexOf(': ');
  return colon === -1 ? rest : rest.slice(colon + 2);
}

function adviceFor(code: string, atRow: boolean, type: string): string {
  const isImport = type === 'costs.import';
  switch (code) {
    case 'IMPORT_FORMAT':
      return atRow
        ? 'Fix the row in the file and import it again, or import again with “Skip rows that cannot be read” to import the other rows and list the bad ones. Nothing was imported.'
        : 'Check that this is a cost export Valdrix reads (see the supported formats) and not cut short, then import it again. Nothing was imported.';
    case 'VALIDATION':
      return isImport
        ? 'Change the import options and start the import again. Nothing was imported.'
        : 'Change what was asked and start it again.';
    case 'NOT_FOUND':
      return 'The file or folder is no longer there: choose it again.';
    case 'CONFLICT':
    case 'UNAVAILABLE':
    case 'RATE_LIMITED':
      return 'This usually passes: try again in a moment.';
    case 'AUTH':
    case 'FORBIDDEN':
      return 'Check the credentials and permissions, then try again.';
    default:
      return 'Valdrix did not expect this. Try again; if it happens again, copy the details into a bug report.';
  }
}

/** Everything support needs, for the clipboard: ids, type, status, the raw error and the request. */
export function failureDetailsText(job: Job): string {
  return JSON.stringify(
    {
      id: job.id,
      type: job.type,
      status: job.status,
      attempts: `${job.attempts} of ${job.maxAttempts}`,
      error: job.error,
      payload: job.payload,
      createdAt: job.createdAt,
      finishedAt: job.finishedAt,
    },
    null,
    2,
  );
}
