import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import zlib from 'node:zlib';
import { formatExact } from '../../shared/exact';
import type { FormatMapper, NormalizedLine } from '../../electron/core/ingest/model';
import { openSource } from '../../electron/core/ingest/readers';

/** ../shared/datasets, beside the project; tests skip with a message where it is absent. */
export const DATASETS = path.resolve(import.meta.dirname, '../../../shared/datasets');
export const datasetsPresent = fs.existsSync(DATASETS);
export const DATASETS_SKIP_REASON = `shared datasets not found at ${DATASETS}`;

export function dataset(relative: string): string {
  return path.join(DATASETS, relative);
}

/** Maps every record of a file with one mapper (no store), for mapper-level tests. */
export async function mapFile(
  file: string,
  mapper: FormatMapper,
  defaults?: { billingAccountId?: string; currency?: string },
): Promise<{ variant: string; lines: (NormalizedLine & { position: number })[] }> {
  const source = await openSource(file);
  const compiled = mapper.compile(source.columns, { fileName: path.basename(file), defaults });
  const lines: (NormalizedLine & { position: number })[] = [];
  try {
    for await (const record of source.records) {
      for (const line of compiled.map(record.values)) lines.push({ ...line, position: record.position });
    }
  } finally {
    await source.close();
  }
  return { variant: compiled.variant, lines };
}

export function exactSum(lines: readonly NormalizedLine[], pick: (line: NormalizedLine) => bigint | null): string {
  return formatExact(lines.reduce((sum, line) => sum + (pick(line) ?? 0n), 0n));
}

/** Raw CSV rows as objects keyed by header, read independently of the product's readers (csv-parse sync). */
export function rawCsvRows(file: string): Record<string, string>[] {
  let buffer = fs.readFileSync(file);
  if (buffer[0] === 0x1f && buffer[1] === 0x8b) buffer = zlib.gunzipSync(buffer);
  return parse(buffer, { columns: true, bom: true, skip_empty_lines: true, relax_column_count: true }) as Record<
    string,
    string
  >[];
}
