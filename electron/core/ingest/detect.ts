/** Which format a file is in, from its columns and every mapper's score. */
import path from 'node:path';
import { MAPPERS, mapperById } from './formats';
import { FORMAT_IDS, RowError, type FormatId } from './model';
import {
  DEFAULT_READ_LIMITS,
  FileError,
  openSource,
  type Container,
  type OpenedSource,
  type ReadLimits,
} from './readers';
import type { ImportRequest } from './types';

export interface DetectedFile {
  path: string;
  container: Container;
  columns: string[];
  format: FormatId | null;
  variant: string | null;
  /** Every mapper's score, best first, for the Import screen and error messages. */
  scores: { format: FormatId; score: number }[];
  error: string | null;
  /** Where the error is, when it is in a record (line, or row for Parquet); the header is line 1. */
  errorLine?: number | null;
}

/** Detects a file's format from its header (or first records), without importing anything. */
export async function detectFile(
  file: string,
  forced: 'auto' | FormatId = 'auto',
  defaults?: ImportRequest,
  limits: ReadLimits = defaults?.limits ?? DEFAULT_READ_LIMITS,
): Promise<DetectedFile> {
  let source: OpenedSource | null = null;
  try {
    source = await openSource(file, limits);
    if (source.columns.length === 0) {
      // An empty JSON array (GCP's legacy export on a day without usage): nothing to detect or import.
      return {
        path: file,
        container: source.container,
        columns: [],
        format: null,
        variant: 'empty file',
        scores: [],
        error: null,
      };
    }
    const scores = MAPPERS.map((mapper) => ({ format: mapper.id, score: mapper.detect(source!.columns) })).sort(
      (a, b) => b.score - a.score,
    );
    const chosen = choose(scores, forced);
    if (!chosen) {
      return {
        path: file,
        container: source.container,
        columns: source.columns,
        format: null,
        variant: null,
        scores,
        error: unknownFormatMessage(source.columns),
      };
    }
    const compiled = mapperById(chosen).compile(source.columns, {
      fileName: path.basename(file),
      defaults: mapperDefaults(defaults),
    });
    return {
      path: file,
      container: source.container,
      columns: source.columns,
      format: chosen,
      variant: compiled.variant,
      scores,
      error: null,
    };
  } catch (error) {
    const message = error instanceof RowError || error instanceof FileError ? error.message : (error as Error).message;
    return {
      path: file,
      container: source?.container ?? 'csv',
      columns: source?.columns ?? [],
      format: null,
      variant: null,
      scores: [],
      error: message,
      errorLine: error instanceof FileError ? error.position : 1,
    };
  } finally {
    await source?.close();
  }
}

function choose(scores: { format: FormatId; score: number }[], forced: 'auto' | FormatId): FormatId | null {
  if (forced !== 'auto') return forced;
  const [best, second] = scores;
  if (!best || best.score < 0.5) return null;
  if (second && second.score === best.score) return null;
  return best.format;
}

function unknownFormatMessage(columns: readonly string[]): string {
  // The "header" of a file that is not an export can be anything (a password file, a key), and the
  // message reaches the browser in browser mode: quote a short, printable excerpt, 200 characters in all.
  const lead = 'unknown format: the header (';
  const rest = `) matches none of ${FORMAT_IDS.join(', ')}; force one with --format`;
  const listed =
    columns
      .slice(0, 6)
      .join(', ')
      // eslint-disable-next-line no-control-regex
      .replace(/[\u0000-\u001f\u007f-\u009f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`) +
    (columns.length > 6 ? ', …' : '');
  const room = 200 - lead.length - rest.length;
  const shown = listed.length > room ? `${listed.slice(0, room - 1).replace(/[\uD800-\uDBFF]$/, '')}…` : listed;
  return `${lead}${shown}${rest}`;
}

export function mapperDefaults(request?: Pick<ImportRequest, 'currency' | 'billingAccountId'>) {
  if (!request?.currency && !request?.billingAccountId) return undefined;
  return { currency: request.currency, billingAccountId: request.billingAccountId };
}
