/**
 * Exact Parquet DECIMALs away from the top level (list elements, struct fields, map values), where the
 * import test's flat files do not reach, and the decimal text itself against the exact parser.
 */
import fc from 'fast-check';
import type { FileMetaData, SchemaElement } from 'hyparquet';
import { describe, expect, it } from 'vitest';
import { decimalText, exactDecimalReading } from '../../../electron/core/ingest/parquet-exact';
import { EXACT_PER_UNIT, parseExact } from '../../../shared/exact';

const decimal = (name: string, type: 'INT64' | 'FIXED_LEN_BYTE_ARRAY', scale: number): SchemaElement => ({
  name,
  type,
  ...(type === 'FIXED_LEN_BYTE_ARRAY' ? { type_length: 4 } : {}),
  repetition_type: 'OPTIONAL',
  converted_type: 'DECIMAL',
  precision: 18,
  scale,
});

/** Only the schema matters to the reading plan. */
function metadata(schema: SchemaElement[]): FileMetaData {
  return { version: 2, schema, num_rows: 0n, row_groups: [], metadata_length: 0 } as unknown as FileMetaData;
}

describe('exact Parquet decimals', () => {
  it('restores decimals inside lists of structs, two-level lists, maps and plain columns; leaves the rest', async () => {
    const schema: SchemaElement[] = [
      { name: 'root', num_children: 5 },
      decimal('cost', 'INT64', 6),
      { name: 'usage', type: 'INT64', repetition_type: 'OPTIONAL' },
      // credits: LIST<struct{name, amount DECIMAL(18,6)}>, as BigQuery writes repeated records.
      { name: 'credits', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
      { name: 'element', repetition_type: 'OPTIONAL', num_children: 2 },
      { name: 'name', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      decimal('amount', 'INT64', 6),
      // adjustments: legacy two-level list of fixed-length decimals.
      { name: 'adjustments', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'LIST' },
      { ...decimal('array', 'FIXED_LEN_BYTE_ARRAY', 2), repetition_type: 'REPEATED' },
      // fees: MAP<string, DECIMAL(18,3)>.
      { name: 'fees', repetition_type: 'OPTIONAL', num_children: 1, converted_type: 'MAP' },
      { name: 'key_value', repetition_type: 'REPEATED', num_children: 2 },
      { name: 'key', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'REQUIRED' },
      decimal('value', 'INT64', 3),
    ];
    const reading = (await exactDecimalReading(metadata(schema)))!;
    expect(reading.utf8).toBe(true);
    // The metadata hyparquet reads with has no DECIMAL left, so it hands out the unscaled integers.
    expect(reading.metadata.schema.filter((element) => element.converted_type === 'DECIMAL')).toEqual([]);
    const record: Record<string, unknown> = {
      cost: -1_000_001n,
      usage: 42n,
      credits: [
        { name: 'CUD', amount: -123_456_789n },
        { name: 'promo', amount: null },
      ],
      // Big-endian two's complement: 0xFFFFFF85 = -123 → -1.23; 0x00000100 = 256 → 2.56.
      adjustments: [new Uint8Array([0xff, 0xff, 0xff, 0x85]), new Uint8Array([0, 0, 1, 0])],
      fees: { support: 1_500n, tax: 7n },
    };
    reading.restore(record);
    expect(record).toEqual({
      cost: '-1.000001',
      usage: 42n,
      credits: [
        { name: 'CUD', amount: '-123.456789' },
        { name: 'promo', amount: null },
      ],
      adjustments: ['-1.23', '2.56'],
      fees: { support: '1.500', tax: '0.007' },
    });
  });

  it('reads no differently a file without decimals', async () => {
    expect(
      await exactDecimalReading(
        metadata([
          { name: 'root', num_children: 1 },
          { name: 'cost', type: 'DOUBLE' },
        ]),
      ),
    ).toBeNull();
  });

  it('decodes text itself when a decimal is stored as BYTE_ARRAY (hyparquet must then leave bytes alone)', async () => {
    const reading = (await exactDecimalReading(
      metadata([
        { name: 'root', num_children: 3 },
        { ...decimal('cost', 'INT64', 2), type: 'BYTE_ARRAY' },
        { name: 'legacy_text', type: 'BYTE_ARRAY', repetition_type: 'OPTIONAL' },
        { name: 'text', type: 'BYTE_ARRAY', converted_type: 'UTF8', repetition_type: 'OPTIONAL' },
      ]),
    ))!;
    expect(reading.utf8).toBe(false);
    const record: Record<string, unknown> = {
      cost: new Uint8Array([0x30, 0x39]),
      legacy_text: new TextEncoder().encode('Zürich'),
      text: 'already text',
    };
    reading.restore(record);
    expect(record).toEqual({ cost: '123.45', legacy_text: 'Zürich', text: 'already text' });
  });

  it('writes text the exact parser reads back as unscaled × 10^-scale', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: -(10n ** 32n), max: 10n ** 32n }),
        fc.integer({ min: 0, max: 27 }),
        (unscaled, scale) => {
          expect(parseExact(decimalText(unscaled, scale))).toBe(unscaled * (EXACT_PER_UNIT / 10n ** BigInt(scale)));
        },
      ),
    );
    expect(decimalText(-5n, 3)).toBe('-0.005');
    expect(decimalText(120n, 0)).toBe('120');
  });

  // Values that fit 48 bits skip the BigInt per byte: both paths must agree with two's complement.
  it('reads fixed-length decimal bytes of any width as two’s complement, small and large', async () => {
    const bytesOf = (value: bigint, width: number) => {
      const bytes = new Uint8Array(width);
      let rest = BigInt.asUintN(width * 8, value);
      for (let at = width - 1; at >= 0; at--, rest >>= 8n) bytes[at] = Number(rest & 0xffn);
      return bytes;
    };
    const widths = [1, 2, 4, 6, 7, 8, 12, 16];
    const readings = new Map<number, Awaited<ReturnType<typeof exactDecimalReading>>>();
    for (const width of widths) {
      readings.set(
        width,
        await exactDecimalReading(
          metadata([
            { name: 'root', num_children: 1 },
            { ...decimal('cost', 'FIXED_LEN_BYTE_ARRAY', 3), type_length: width },
          ]),
        ),
      );
    }
    fc.assert(
      fc.property(
        fc.constantFrom(...widths),
        fc.oneof(
          fc.bigInt({ min: -(2n ** 50n), max: 2n ** 50n }),
          fc.bigInt({ min: -(2n ** 127n), max: 2n ** 127n - 1n }),
        ),
        (width, wide) => {
          const value = BigInt.asIntN(width * 8, wide);
          const record: Record<string, unknown> = { cost: bytesOf(value, width) };
          readings.get(width)!.restore(record);
          expect(record.cost).toBe(decimalText(value, 3));
        },
      ),
      { numRuns: 2000 },
    );
  });
});
