/**
 * The export formats and file containers an import reads, as plain lists: the scan worker loads this
 * without zod; shared/api/formats.ts makes the contract's schemas from them.
 */

/** Export formats, by the id `--format` and the contract use. */
export const FORMAT_IDS = ['focus', 'cur', 'cur2', 'azure', 'gcp'] as const;
export type FormatId = (typeof FORMAT_IDS)[number];

/** How a file holds its records. */
export const CONTAINERS = ['csv', 'csv.gz', 'json', 'jsonl', 'jsonl.gz', 'parquet'] as const;
export type Container = (typeof CONTAINERS)[number];
