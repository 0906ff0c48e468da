import type { LedgerLine } from '../ledger/row-batch';
import { boundedMessage, excerpt, MAX_EXCERPT } from '../../../shared/text';

/**
 * The normalized cost line every export format maps to, aligned with FOCUS columns. Amounts are exact
 * (bigint units of 10⁻²⁷, see shared/exact.ts). Format mappers produce these; the import pipeline
 * adds identity, lineage and snapshot membership.
 */

export { FORMAT_IDS, type FormatId } from '../../../shared/formats';
import type { FormatId } from '../../../shared/formats';

/**
 * Raise when a mapper maps the same file to different lines (2: service categories, Azure EA
 * subscription GUIDs). A re-import of byte-identical files is answered from the earlier import only
 * under the same revision; otherwise the file is mapped again and the changes become restatements.
 */
export const MAPPING_REVISION = 2;

/** A mapped line: what the ledger stores (LedgerLine), with its tags and what tells it apart. */
export interface NormalizedLine extends LedgerLine {
  tags: Record<string, string>;
  /**
   * Source-specific attributes that tell two otherwise identical lines apart across snapshots (usage type,
   * operation, meter id…). Part of the line's identity for restatements; never amounts.
   */
  discriminator: string;
}

/**
 * A row-level problem. Mappers throw it; the pipeline adds file and line. `column` is the source
 * column's name as written in the header (or the JSON path).
 */
export class RowError extends Error {
  readonly column: string | null;
  constructor(column: string | null, message: string) {
    // Messages quote cells and column names: bounded and escaped here, whatever the file holds.
    super(boundedMessage(message));
    this.column = column === null ? null : excerpt(column, MAX_EXCERPT);
    this.name = 'RowError';
  }
}

/** Reads one source record by column name; the compiled mapper resolves names to positions once. */
export type RowValues = readonly unknown[];

export interface CompiledMapper {
  /** Which variant was recognised, for the Import screen ("FOCUS 1.2", "Azure EA amortized (German headers)"). */
  variant: string;
  /** Maps one record. May return several lines (e.g. GCP credits become Credit lines) or none (a blank row). */
  map(values: RowValues): NormalizedLine[];
}

export interface FormatMapper {
  id: FormatId;
  label: string;
  /**
   * How sure the mapper is that these columns are its format: 0 = not mine, 1 = certain. Detection picks
   * the highest score; ties or nothing above 0.5 is an unknown format.
   */
  detect(columns: readonly string[]): number;
  /** Resolves column positions once per file. Throws RowError (column = missing column) when a required one is absent. */
  compile(columns: readonly string[], context: MapperContext): CompiledMapper;
}

export interface MapperContext {
  fileName: string;
  /** Optional defaults from a manifest or the CLI, e.g. the billing account of a legacy GCP file export. */
  defaults?: { billingAccountId?: string; currency?: string };
}
