/**
 * The size cap on audit events. The trail is append-only, so an event can never be removed: one built
 * from a 200 MB error message would cost every later check, export and verification 200 MB. `record()`
 * therefore bounds each event before it is hashed and stored; events within the cap are left exactly as
 * they are. Callers that quote file content cap their own excerpts; this is the safety net.
 */

/** An event's before, after and details together: at most this many bytes of canonical JSON (UTF-8). */
export const AUDIT_VALUES_MAX_BYTES = 64 * 1024;

/** The action, entity type, entity id and run id: at most this many characters each. */
export const AUDIT_TEXT_MAX_CHARS = 1_000;

/** In an event over the cap, each string keeps at most this many bytes (as JSON). */
const CUT_STRING_BYTES = 8 * 1024;
/** In an event over the cap, containers nested deeper than this become a marker. */
const CUT_MAX_DEPTH = 32;
/** Object keys longer than this (as JSON) are shortened too. */
const CUT_KEY_BYTES = 256;
/**
 * Room kept in each value's budget for the markers of the containers still open when the budget runs
 * out (one each, at most CUT_MAX_DEPTH of them).
 */
const MARKER_ROOM = 2 * 1024;
/** The marker key of an object cut short. U+2026 sorts after every ASCII key. */
const MORE_KEYS = '…';

/** 1234567 → "1,234,567", the same in every locale (markers are hashed). */
export function grouped(n: number): string {
  return String(n).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function stringMarker(length: number): string {
  return `…[truncated from ${grouped(length)} characters]`;
}

/** The marker that replaces a value that cannot be cut to fit (only in pathological cases). */
function valueMarker(limit: number): string {
  return `…[truncated: a value over ${grouped(limit)} bytes]`;
}

/** Bytes of JSON (UTF-8) that one UTF-16 code unit at `i` costs, and how many code units it takes. */
function unitCost(text: string, i: number): [bytes: number, units: number] {
  const c = text.charCodeAt(i);
  if (c < 0x20) return [c === 8 || c === 9 || c === 10 || c === 12 || c === 13 ? 2 : 6, 1];
  if (c === 0x22 || c === 0x5c) return [2, 1];
  if (c < 0x80) return [1, 1];
  if (c < 0x800) return [2, 1];
  if (c >= 0xd800 && c <= 0xdbff) {
    const next = text.charCodeAt(i + 1);
    // A pair is 4 bytes of UTF-8; JSON.stringify writes a lone surrogate as a \u escape.
    return next >= 0xdc00 && next <= 0xdfff ? [4, 2] : [6, 1];
  }
  if (c >= 0xdc00 && c <= 0xdfff) return [6, 1];
  return [3, 1];
}

/** UTF-8 bytes of JSON.stringify(text); a text too long to fit in `stop` bytes is not measured. */
export function jsonStringBytes(text: string, stop = Infinity): number {
  // Every code unit costs at least one byte: a string this long is over at once.
  if (text.length + 2 > stop) return text.length + 2;
  return Buffer.byteLength(JSON.stringify(text));
}

/** The longest prefix of `text` whose JSON (quotes included) fits in `bytes`; never splits a pair. */
function prefixWithin(text: string, bytes: number): string {
  let used = 2;
  let i = 0;
  while (i < text.length) {
    const [cost, units] = unitCost(text, i);
    if (used + cost > bytes) break;
    used += cost;
    i += units;
  }
  return text.slice(0, i);
}

/** Rejects what canonicalJson rejects, with its messages. */
function unsupported(value: unknown): never {
  if (typeof value === 'number') throw new TypeError('canonical JSON has no NaN or Infinity');
  throw new TypeError(`canonical JSON cannot hold a ${typeof value}`);
}

function entriesOf(value: object): [string, unknown][] {
  return Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
}

/**
 * UTF-8 bytes of canonicalJson(value) (shared/audit.ts), walking the value as it does, without building
 * the text; stops counting once past `stop`, so a 200 MB string costs nothing to measure.
 */
export function canonicalBytes(value: unknown, stop = Infinity): number {
  if (value === null || value === undefined) return 4;
  if (typeof value === 'number') return Number.isFinite(value) ? JSON.stringify(value).length : unsupported(value);
  if (typeof value === 'boolean') return value ? 4 : 5;
  if (typeof value === 'string') return jsonStringBytes(value, stop);
  if (typeof value !== 'object') return unsupported(value);
  if (Array.isArray(value)) {
    let bytes = 2 + Math.max(0, value.length - 1);
    for (const item of value as unknown[]) {
      if (bytes > stop) return bytes;
      bytes += canonicalBytes(item, stop - bytes);
    }
    return bytes;
  }
  const entries = entriesOf(value);
  let bytes = 2 + Math.max(0, entries.length - 1);
  for (const [key, item] of entries) {
    bytes += jsonStringBytes(key, stop) + 1;
    if (bytes > stop) return bytes;
    bytes += canonicalBytes(item, stop - bytes);
  }
  return bytes;
}

/** Cuts one value to about `budget` bytes of canonical JSON, keeping what comes first in canonical order. */
class Cutter {
  private used = 0;

  constructor(private readonly budget: number) {}

  private left(): number {
    return this.budget - MARKER_ROOM - this.used;
  }

  cut(value: unknown, depth: number): unknown {
    if (value === null || value === undefined) {
      this.used += 4;
      return null;
    }
    if (typeof value === 'number' || typeof value === 'boolean') {
      this.used += canonicalBytes(value);
      return value;
    }
    if (typeof value === 'string') return this.cutString(value);
    if (typeof value !== 'object') return unsupported(value);
    if (depth >= CUT_MAX_DEPTH) return this.mark(`…[truncated: nested deeper than ${CUT_MAX_DEPTH} levels]`);
    this.used += 2;
    return Array.isArray(value) ? this.cutArray(value as unknown[], depth) : this.cutObject(value, depth);
  }

  private mark(marker: string): string {
    this.used += jsonStringBytes(marker);
    return marker;
  }

  /** The string whole if it fits (in at most CUT_STRING_BYTES), else its start and a marker. */
  private cutString(text: string): string {
    const room = Math.min(CUT_STRING_BYTES, this.left());
    const bytes = jsonStringBytes(text, room);
    if (bytes <= room) {
      this.used += bytes;
      return text;
    }
    const marker = stringMarker(text.length);
    const kept = `${prefixWithin(text, room - jsonStringBytes(marker) + 2)}${marker}`;
    this.used += jsonStringBytes(kept);
    return kept;
  }

  private cutArray(items: unknown[], depth: number): unknown[] {
    const out: unknown[] = [];
    for (let i = 0; i < items.length; i++) {
      if (this.left() < 64) {
        if (i > 0) this.used += 1;
        out.push(this.mark(`…[truncated: ${grouped(items.length - i)} more items]`));
        break;
      }
      if (i > 0) this.used += 1;
      out.push(this.cut(items[i], depth + 1));
    }
    return out;
  }

  private cutObject(value: object, depth: number): Record<string, unknown> {
    const entries = entriesOf(value).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    const out: Record<string, unknown> = {};
    let omitted = 0;
    for (let i = 0; i < entries.length; i++) {
      const [rawKey, item] = entries[i]!;
      if (this.left() < 64) {
        omitted += entries.length - i;
        break;
      }
      const key =
        jsonStringBytes(rawKey, CUT_KEY_BYTES) <= CUT_KEY_BYTES
          ? rawKey
          : `${prefixWithin(rawKey, CUT_KEY_BYTES / 2)}${stringMarker(rawKey.length)}`;
      // Two long keys can shorten to the same one: the first (in canonical order) stays.
      if (Object.hasOwn(out, key) || key === MORE_KEYS) {
        omitted++;
        continue;
      }
      if (i > 0) this.used += 1;
      this.used += jsonStringBytes(key) + 1;
      out[key] = this.cut(item, depth + 1);
    }
    if (omitted > 0) {
      this.used += jsonStringBytes(MORE_KEYS) + 2;
      out[MORE_KEYS] = this.mark(`…[truncated: ${grouped(omitted)} more keys]`);
    }
    return out;
  }
}

/**
 * Bounds an event's before, after and details (already masked) to AUDIT_VALUES_MAX_BYTES of canonical
 * JSON together. Within the cap the values are returned as they are. Over it, values that fit a fair
 * share keep whole, and the others are cut to their share: long strings keep their start, followed by
 * `…[truncated from N characters]`, long arrays and objects keep their first entries (in canonical order)
 * and end with a `…[truncated: N more items]` item or a `"…"` key. Deterministic, so the hash taken of
 * the result is the hash of what is stored.
 */
export function capAuditValues(values: readonly unknown[], limit = AUDIT_VALUES_MAX_BYTES): unknown[] {
  const sizes = values.map((value) => canonicalBytes(value, limit + 1));
  if (sizes.reduce((a, b) => a + b, 0) <= limit) return [...values];
  // Shares: the smallest values first, each either whole or an equal part of what is left.
  const order = sizes.map((size, index) => ({ size, index })).sort((a, b) => a.size - b.size || a.index - b.index);
  const out: unknown[] = [...values];
  let left = limit;
  order.forEach(({ size, index }, position) => {
    const share = Math.floor(left / (order.length - position));
    if (size <= share) {
      left -= size;
      return;
    }
    let cut = new Cutter(share).cut(values[index], 0);
    if (canonicalBytes(cut, share + 1) > share) cut = valueMarker(share);
    out[index] = cut;
    left -= canonicalBytes(cut);
  });
  return out;
}

/** The action, entity type and ids: at most AUDIT_TEXT_MAX_CHARS characters, with the marker. */
export function capAuditText<T extends string | null>(text: T): T {
  if (text === null || text.length <= AUDIT_TEXT_MAX_CHARS) return text;
  const marker = stringMarker(text.length);
  let end = AUDIT_TEXT_MAX_CHARS - marker.length;
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end--;
  return `${text.slice(0, end)}${marker}` as T;
}
