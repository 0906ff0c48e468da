/** The export formats and file containers an import reads: one list each, for the core, the contract and the screens. */
import { z } from 'zod';

/** Export formats, by the id `--format` and the contract use. */
export const FORMAT_IDS = ['focus', 'cur', 'cur2', 'azure', 'gcp'] as const;
export const FormatIdSchema = z.enum(FORMAT_IDS);
export type FormatId = z.infer<typeof FormatIdSchema>;

/** A format, or 'auto' to detect it from the header. */
export const FormatChoiceSchema = z.enum(['auto', ...FORMAT_IDS]);
export type FormatChoice = z.infer<typeof FormatChoiceSchema>;

/** How a file holds its records. */
export const CONTAINERS = ['csv', 'csv.gz', 'json', 'jsonl', 'jsonl.gz', 'parquet'] as const;
export const ContainerSchema = z.enum(CONTAINERS);
export type Container = z.infer<typeof ContainerSchema>;
