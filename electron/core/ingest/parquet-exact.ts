/**
 * Parquet DECIMAL values read exactly. hyparquet turns a DECIMAL into a double (unscaled × 10^-scale),
 * which keeps about 15 significant digits: a DECIMAL(38,18) cost such as 12.000000000000000000001
 * would arrive as 12. So the DECIMAL annotation is taken off the schema before reading (hyparquet then
 * hands out the stored unscaled integer: a number for INT32, a bigint for INT64, bytes for
 * FIXED_LEN_BYTE_ARRAY and BYTE_ARRAY), and each such value becomes its exact decimal text here,
 * wherever it sits in a record (top-level column, struct field, list element or map value).
 */
import type { FileMetaData, SchemaElement, SchemaTree } from 'hyparquet';

export interface ExactParquetReading {
  /** The metadata to read with: DECIMAL columns unannotated. */
  metadata: FileMetaData;
  /**
   * Whether hyparquet may decode unannotated BYTE_ARRAY columns as UTF-8 itself. Off when a DECIMAL
   * is stored as BYTE_ARRAY (its bytes must arrive as bytes); such text columns are then decoded here.
   */
  utf8: boolean;
  /** Turns the unscaled integers of a record read with `metadata` into decimal text, in place. */
  restore(record: Record<string, unknown>): void;
  /** The same for one top-level column's values (for column-wise readers); null when it has none. */
  column(name: string): Restore | null;
}

export type Restore = (value: unknown) => unknown;

/** How to read a file's DECIMAL columns exactly; null when it has none. */
export async function exactDecimalReading(metadata: FileMetaData): Promise<ExactParquetReading | null> {
  if (!metadata.schema.some(isDecimal)) return null;
  // Loaded on use like the reader itself (readers.ts): hyparquet is ESM only.
  const { parquetSchema } = await import('hyparquet/src/node.js');
  const { isListLike, isMapLike } = await import('hyparquet/src/schema.js');
  const utf8 = !metadata.schema.some((element) => isDecimal(element) && element.type === 'BYTE_ARRAY');
  const decoder = new TextDecoder();

  const leaf = (element: SchemaElement): Restore | null => {
    if (isDecimal(element)) {
      const scale = element.scale ?? (element.logical_type?.type === 'DECIMAL' ? element.logical_type.scale : 0);
      return (value) => (value === null || value === undefined ? value : decimalText(unscaled(value), scale));
    }
    if (!utf8 && element.type === 'BYTE_ARRAY' && !element.converted_type && !element.logical_type) {
      return (value) => (value instanceof Uint8Array ? decoder.decode(value) : value);
    }
    return null;
  };

  /** The restore of one value of `node`, not counting its own repetition. */
  const single = (node: SchemaTree): Restore | null => {
    if (!node.children.length) return leaf(node.element);
    if (isListLike(node)) {
      const repeated = node.children[0]!;
      // Three-level lists wrap each element in a repeated group; two-level ones repeat the element itself.
      const element = repeated.children.length === 1 ? repeated.children[0]! : repeated;
      const inner = repeated.children.length === 1 ? each(element) : single(element);
      return inner && ((value) => (Array.isArray(value) ? value.map(inner) : value));
    }
    if (isMapLike(node)) {
      const valueNode = node.children[0]!.children.find((child) => child.element.name === 'value')!;
      const inner = each(valueNode);
      return (
        inner &&
        ((value) => {
          if (value && typeof value === 'object') {
            const map = value as Record<string, unknown>;
            for (const key of Object.keys(map)) map[key] = inner(map[key]);
          }
          return value;
        })
      );
    }
    const fields = node.children.flatMap((child) => {
      const restore = each(child);
      return restore ? [[child.element.name, restore] as const] : [];
    });
    if (!fields.length) return null;
    return (value) => {
      if (value && typeof value === 'object') {
        const struct = value as Record<string, unknown>;
        for (const [name, restore] of fields) struct[name] = restore(struct[name]);
      }
      return value;
    };
  };

  /** The restore of a node's value, a list of them when the node repeats. */
  const each = (node: SchemaTree): Restore | null => {
    const restore = single(node);
    if (!restore || node.element.repetition_type !== 'REPEATED') return restore;
    return (value) => (Array.isArray(value) ? value.map(restore) : restore(value));
  };

  const columns = parquetSchema(metadata).children.flatMap((column) => {
    const restore = each(column);
    return restore ? [[column.element.name, restore] as const] : [];
  });
  const byName = new Map<string, Restore>(columns);
  return {
    metadata: {
      ...metadata,
      schema: metadata.schema.map((element) =>
        isDecimal(element) ? { ...element, converted_type: undefined, logical_type: undefined } : element,
      ),
    },
    utf8,
    restore(record) {
      for (const [name, restore] of columns) record[name] = restore(record[name]);
    },
    column: (name) => byName.get(name) ?? null,
  };
}

function isDecimal(element: SchemaElement): boolean {
  return element.converted_type === 'DECIMAL' || element.logical_type?.type === 'DECIMAL';
}

/** The unscaled integer of a DECIMAL as stored: INT32, INT64, or big-endian two's complement bytes. */
function unscaled(value: unknown): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') return BigInt(value);
  if (value instanceof Uint8Array) {
    // Costs are small numbers in wide fields (a DECIMAL(38,s) is 16 bytes): when every byte before the
    // last six only repeats the sign, the value fits a double exactly and needs no BigInt per byte.
    const negative = value.length > 0 && (value[0]! & 0x80) !== 0;
    const signByte = negative ? 0xff : 0;
    let first = 0;
    while (value.length - first > 6 && value[first] === signByte) first++;
    if (value.length - first <= 6) {
      let small = 0;
      for (let at = first; at < value.length; at++) small = small * 256 + value[at]!;
      return BigInt(negative ? small - 2 ** (8 * (value.length - first)) : small);
    }
    let result = 0n;
    for (const byte of value) result = (result << 8n) | BigInt(byte);
    if (value.length && value[0]! & 0x80) result -= 1n << BigInt(value.length * 8);
    return result;
  }
  throw new Error(`a DECIMAL value is neither an integer nor bytes: ${String(value)}`);
}

/** unscaled × 10^-scale as plain decimal text: (-1234n, 3) → "-1.234". */
export function decimalText(unscaledValue: bigint, scale: number): string {
  const negative = unscaledValue < 0n;
  const digits = (negative ? -unscaledValue : unscaledValue).toString();
  if (scale <= 0) return `${negative ? '-' : ''}${digits}${'0'.repeat(-scale)}`;
  const padded = digits.padStart(scale + 1, '0');
  return `${negative ? '-' : ''}${padded.slice(0, -scale)}.${padded.slice(-scale)}`;
}
