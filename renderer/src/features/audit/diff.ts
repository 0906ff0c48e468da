/**
 * The before/after of an audit event, arranged for display. Values are JSON (the audit log stores
 * canonical JSON), so comparing them needs no more than a structural equality.
 */

export type DiffChange = 'added' | 'removed' | 'changed' | 'same';

/** One top-level key of an object change. `hasBefore`/`hasAfter` tell a missing key from a null value. */
export interface DiffRow {
  key: string;
  change: DiffChange;
  hasBefore: boolean;
  hasAfter: boolean;
  before: unknown;
  after: unknown;
}

export type ValueDiff =
  /** Neither side has a value: nothing to show. */
  | { kind: 'none' }
  /** Objects (or an object against nothing): one row per key of either side, in key order. */
  | { kind: 'object'; rows: DiffRow[]; counts: Record<DiffChange, number> }
  /** Anything else (strings, numbers, arrays, or an object against a scalar): the whole value before → after. */
  | { kind: 'scalar'; change: DiffChange; before: unknown; after: unknown };

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Structural equality of two JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => jsonEqual(item, b[index]));
  }
  if (isObject(a) && isObject(b)) {
    const aKeys = Object.keys(a).filter((key) => a[key] !== undefined);
    const bKeys = Object.keys(b).filter((key) => b[key] !== undefined);
    return aKeys.length === bKeys.length && aKeys.every((key) => Object.hasOwn(b, key) && jsonEqual(a[key], b[key]));
  }
  return false;
}

function keyChange(hasBefore: boolean, hasAfter: boolean, before: unknown, after: unknown): DiffChange {
  if (!hasBefore) return 'added';
  if (!hasAfter) return 'removed';
  return jsonEqual(before, after) ? 'same' : 'changed';
}

/** Compares an event's `before` and `after`. null (or a missing value) on one side means created or deleted. */
export function diffValues(before: unknown, after: unknown): ValueDiff {
  const b = before ?? null;
  const a = after ?? null;
  if (b === null && a === null) return { kind: 'none' };

  if ((isObject(b) || b === null) && (isObject(a) || a === null)) {
    const beforeObject: JsonObject = b ?? {};
    const afterObject: JsonObject = a ?? {};
    // Code-point order, as in the canonical JSON the log stores.
    const keys = [...new Set([...Object.keys(beforeObject), ...Object.keys(afterObject)])].sort((x, y) =>
      x < y ? -1 : x > y ? 1 : 0,
    );
    const counts: Record<DiffChange, number> = { added: 0, removed: 0, changed: 0, same: 0 };
    const rows = keys.map((key): DiffRow => {
      const hasBefore = Object.hasOwn(beforeObject, key) && beforeObject[key] !== undefined;
      const hasAfter = Object.hasOwn(afterObject, key) && afterObject[key] !== undefined;
      const row: DiffRow = {
        key,
        hasBefore,
        hasAfter,
        before: beforeObject[key],
        after: afterObject[key],
        change: keyChange(hasBefore, hasAfter, beforeObject[key], afterObject[key]),
      };
      counts[row.change]++;
      return row;
    });
    return { kind: 'object', rows, counts };
  }

  return { kind: 'scalar', change: keyChange(b !== null, a !== null, b, a), before: b, after: a };
}
