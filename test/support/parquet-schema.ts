/** Parquet schema elements for the files tests and benchmarks write with hyparquet-writer. */
import type { SchemaElement } from 'hyparquet';

export const textColumn = (name: string): SchemaElement => ({
  name,
  type: 'BYTE_ARRAY',
  converted_type: 'UTF8',
  repetition_type: 'OPTIONAL',
});

/** DECIMAL(38, scale) in 16 bytes, as FOCUS exports write amounts. */
export const decimalColumn = (name: string, scale: number): SchemaElement => ({
  name,
  type: 'FIXED_LEN_BYTE_ARRAY',
  type_length: 16,
  converted_type: 'DECIMAL',
  precision: 38,
  scale,
  repetition_type: 'OPTIONAL',
});

export const doubleColumn = (name: string): SchemaElement => ({ name, type: 'DOUBLE', repetition_type: 'OPTIONAL' });

export const timestampColumn = (
  name: string,
  unit: 'TIMESTAMP_MILLIS' | 'TIMESTAMP_MICROS' = 'TIMESTAMP_MILLIS',
): SchemaElement => ({ name, type: 'INT64', converted_type: unit, repetition_type: 'OPTIONAL' });

/** MAP<string, string>: a CUR 2.0 `resource_tags` or a FOCUS `Tags` column. */
export const mapColumn = (name: string): SchemaElement[] => [
  { name, repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'MAP' },
  { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
  { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
  { name: 'value', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
];
