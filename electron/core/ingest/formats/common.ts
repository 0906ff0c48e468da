/**
 * Helpers every format mapper shares: column lookup that tolerates BOMs, case and punctuation,
 * null spellings, exact amount parsing, timestamps and tag parsing. All failures are RowErrors that
 * name the column, so the pipeline can report file:line:column.
 */
import { parseExact } from '../../../../shared/exact';
import { detach, excerpt } from '../../../../shared/text';
import { RowError, type RowValues } from '../model';

/** "lineItem/UnblendedCost", "line_item_unblended_cost" and "LineItem UnblendedCost" all become "lineitemunblendedcost". */
export function columnKey(name: string): string {
  return name
    .replace(/^\uFEFF/, '')
    .toLowerCase()
    .replace(/[^a-z0-9]/g, '');
}

/**
 * Column positions by normalised name. Two columns with the same normalised name are fine until a
 * mapper reads that name: then which one holds the field is a guess, so it is an error naming both.
 */
export class ColumnIndex {
  private readonly positions = new Map<string, number>();
  /** Later positions of normalised names that occur more than once. */
  private readonly repeated = new Map<string, number[]>();
  constructor(readonly columns: readonly string[]) {
    columns.forEach((name, position) => {
      const key = columnKey(name);
      if (!this.positions.has(key)) this.positions.set(key, position);
      else this.repeated.set(key, [...(this.repeated.get(key) ?? []), position]);
    });
  }

  /** Position of the first of `names` present, or -1. A name present twice is a RowError. */
  find(...names: string[]): number {
    for (const name of names) {
      const key = columnKey(name);
      const position = this.positions.get(key);
      if (position === undefined) continue;
      const others = this.repeated.get(key);
      if (others) {
        const [first, second] = [position, others[0]!].map(
          (at) => `"${excerpt(this.name(at), 80)}" (column ${at + 1})`,
        );
        throw new RowError(
          this.name(position),
          `columns ${first} and ${second} both hold ${names[0]}: keep one of them and import again`,
        );
      }
      return position;
    }
    return -1;
  }

  /** Like find, but a missing column is a RowError naming the first spelling. */
  require(...names: string[]): number {
    const position = this.find(...names);
    if (position === -1) throw new RowError(names[0]!, `missing required column "${names[0]}"`);
    return position;
  }

  /** Whether one of `names` is present (for detection: a repeated column still counts as present). */
  has(...names: string[]): boolean {
    return names.some((name) => this.positions.has(columnKey(name)));
  }

  /** Share of `expected` names present: the basis of a mapper's detect() score. */
  coverage(expected: readonly string[]): number {
    if (expected.length === 0) return 0;
    return expected.filter((name) => this.has(name)).length / expected.length;
  }

  name(position: number): string {
    return this.columns[position] ?? `#${position + 1}`;
  }
}

/**
 * Cells that mean "no value" (docs/formats.md lists them). Not "NaN": in an amount column it is a
 * broken number, never a missing one, and stored as zero it would change a total without a word.
 */
const NULL_SPELLINGS = new Set(['', 'null', 'NULL', 'Null', '(null)', 'None', 'none']);
const LONGEST_NULL_SPELLING = 6;

/** Whether a trimmed, non-empty text can be a null spelling: short, and starting with "n", "N" or "(". */
function maybeNull(text: string, first: number): boolean {
  return text.length <= LONGEST_NULL_SPELLING && (first === 0x6e || first === 0x4e || first === 0x28);
}

// text()'s last number and its text: see there.
let lastNumber = Number.NaN;
let lastNumberText = 'NaN';

/** The value as trimmed text, or null when absent or a null spelling. Objects come back as JSON. */
export function text(values: RowValues, position: number): string | null {
  if (position < 0) return null;
  const value = values[position];
  if (value === undefined || value === null) return null;
  if (typeof value === 'string') {
    // This runs for every cell: skip trim() when both ends are printable ASCII, and the set lookup
    // (which hashes the cell) when the cell cannot be a null spelling.
    const length = value.length;
    if (length === 0) return null;
    const first = value.charCodeAt(0);
    const last = value.charCodeAt(length - 1);
    if (first > 32 && first < 127 && last > 32 && last < 127) {
      return maybeNull(value, first) && NULL_SPELLINGS.has(value) ? null : value;
    }
    const trimmed = value.trim();
    return NULL_SPELLINGS.has(trimmed) ? null : trimmed;
  }
  if (typeof value === 'number') {
    // Doubles from Parquet (CUR 2.0 amounts): a row's unblended, net and public costs are often the same
    // number, and formatting one costs more than the comparison.
    if (value !== lastNumber) {
      lastNumber = value;
      lastNumberText = String(value);
    }
    return lastNumberText;
  }
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Date) return value.toISOString();
  return JSON.stringify(value);
}

export function requiredText(values: RowValues, position: number, column: string): string {
  const value = text(values, position);
  if (value === null) throw new RowError(column, `"${column}" is empty`);
  return value;
}

/**
 * Exact amount of a cell, 0 when empty (CUR, Azure and GCP exports leave zero costs blank). Numbers
 * from JSON or Parquet are taken by their shortest round-trip text, which is what the exporter wrote.
 */
export function amount(values: RowValues, position: number, column: string): bigint {
  const raw = text(values, position);
  if (raw === null) return 0n;
  return parseAmount(raw, column);
}

/** Like amount, but an empty cell is an error: for amounts the format requires on every row (FOCUS BilledCost). */
export function requiredAmount(values: RowValues, position: number, column: string): bigint {
  const raw = text(values, position);
  if (raw === null) {
    throw new RowError(column, `"${column}" is empty: every row needs an amount here (write 0 for no cost)`);
  }
  return parseAmount(raw, column);
}

/** Like amount, but null when the cell is empty (list cost is unknown, not zero). */
export function optionalAmount(values: RowValues, position: number, column: string): bigint | null {
  const raw = text(values, position);
  return raw === null ? null : parseAmount(raw, column);
}

const NON_FINITE = /^[+-]?(nan|inf|infinity)$/i;

function parseAmount(raw: string, column: string): bigint {
  try {
    return parseExact(raw);
  } catch (error) {
    if (NON_FINITE.test(raw)) {
      throw new RowError(column, `"${column}" is ${raw}, not a number: an amount must be a finite decimal number`);
    }
    throw new RowError(column, `"${column}" is not an amount: ${(error as Error).message}`);
  }
}

export interface Timestamp {
  /** ISO 8601, keeping the source's offset; "Z" when the source wrote none. */
  iso: string;
  /** YYYY-MM-DD as written (the provider's billing day). */
  day: string;
}

const ISO_LIKE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i;
const US_DATE = /^(\d{1,2})\/(\d{1,2})\/(\d{4})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?\s*(AM|PM)?)?$/i;
const COMPACT_DATE = /^(\d{4})(\d{2})(\d{2})$/;

/**
 * Parses ISO timestamps ("2024-09-18 22:00:00", "2023-11-01T00:00:00Z", "2018-06-20T00:00:00.000Z",
 * "2014-01-01T00:00:00-08:00"), dates ("2023-09-01"), US dates ("09/01/2023", Azure EA) and
 * compact dates ("20230901"). The calendar is checked: "2023-02-01T30:00:00Z" is an error.
 */
/**
 * Exports repeat the same few timestamps and tag sets across millions of rows; parsing each distinct
 * text once is most of the mapping cost saved. Bounded: cleared when full.
 */
class BoundedCache<T> {
  private readonly map = new Map<string, T>();
  constructor(private readonly limit: number) {}
  /** The cached value, or undefined; a lookup takes no callback, so a hit allocates nothing. */
  get(key: string): T | undefined {
    return this.map.get(key);
  }
  set(key: string, value: T): T {
    if (this.map.size >= this.limit) this.map.clear();
    this.map.set(detach(key), value);
    return value;
  }
}

const timestampCache = new BoundedCache<Timestamp | null>(4096);
const monthCache = new BoundedCache<string | null>(1024);
const tagCache = new BoundedCache<Readonly<Record<string, string>>>(4096);

// Per column position, the last timestamp text and its parse: consecutive rows mostly repeat their
// charge period, and comparing with the last text is cheaper than hashing it for the cache.
const lastTimestampText: (string | undefined)[] = [];
const lastTimestamp: (Timestamp | null)[] = [];

export function timestamp(values: RowValues, position: number, column: string): Timestamp {
  const raw = requiredText(values, position, column);
  let parsed: Timestamp | null | undefined;
  if (lastTimestampText[position] === raw) {
    parsed = lastTimestamp[position];
  } else {
    parsed = timestampCache.get(raw);
    if (parsed === undefined) parsed = timestampCache.set(raw, parseTimestamp(raw));
    lastTimestampText[position] = detach(raw);
    lastTimestamp[position] = parsed;
  }
  if (!parsed) throw new RowError(column, `"${column}" is not a valid date or time: "${excerpt(raw)}"`);
  return parsed;
}

export function optionalTimestamp(values: RowValues, position: number, column: string): Timestamp | null {
  if (text(values, position) === null) return null;
  return timestamp(values, position, column);
}

export function parseTimestamp(raw: string, dayFirst = false): Timestamp | null {
  let year: number, month: number, day: number;
  let hour = 0,
    minute = 0,
    second = 0;
  let fraction = '';
  let offset = 'Z';
  let match = ISO_LIKE.exec(raw);
  if (match) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
    hour = Number(match[4] ?? 0);
    minute = Number(match[5] ?? 0);
    second = Number(match[6] ?? 0);
    fraction = match[7] ?? '';
    const zone = match[8];
    if (zone && !/^(Z|UTC)$/i.test(zone)) offset = zone.includes(':') ? zone : `${zone.slice(0, 3)}:${zone.slice(3)}`;
  } else if ((match = US_DATE.exec(raw))) {
    const first = Number(match[1]);
    const second_ = Number(match[2]);
    [month, day] = dayFirst ? [second_, first] : [first, second_];
    year = Number(match[3]);
    hour = Number(match[4] ?? 0);
    minute = Number(match[5] ?? 0);
    second = Number(match[6] ?? 0);
    const meridiem = match[7]?.toUpperCase();
    if (meridiem === 'PM' && hour < 12) hour += 12;
    if (meridiem === 'AM' && hour === 12) hour = 0;
  } else if ((match = COMPACT_DATE.exec(raw))) {
    [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  } else {
    return null;
  }
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 24 || minute > 59 || second > 60 || (hour === 24 && (minute > 0 || second > 0))) return null;
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  const date = `${pad(year, 4)}-${pad(month)}-${pad(day)}`;
  // 24:00 is the end of the day (FOCUS end times); it stays on the written day.
  return { iso: `${date}T${pad(hour)}:${pad(minute)}:${pad(second)}${fraction}${offset}`, day: date };
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** The day after a YYYY-MM-DD day, as an ISO midnight: the end of a one-day charge period. */
export function nextDayIso(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().replace('.000Z', 'Z');
}

/** YYYY-MM of a day. */
export function monthOf(day: string): string {
  return day.slice(0, 7);
}

// A file is mostly one billing period: the last text and its month spare the cache lookup.
let lastMonthText: string | undefined;
let lastMonth: string | null = null;

/** "202402" or "2024-02" or a date → "2024-02". */
export function billingMonth(raw: string, column: string): string {
  let month: string | null | undefined;
  if (raw === lastMonthText) {
    month = lastMonth;
  } else {
    month = monthCache.get(raw);
    if (month === undefined) month = monthCache.set(raw, parseBillingMonth(raw));
    lastMonthText = detach(raw);
    lastMonth = month;
  }
  if (month === null) throw new RowError(column, `"${column}" is not a billing month: "${excerpt(raw)}"`);
  return month;
}

function parseBillingMonth(raw: string): string | null {
  const compact = /^(\d{4})-?(\d{2})$/.exec(raw);
  if (compact) return `${compact[1]}-${compact[2]}`;
  const parsed = parseTimestamp(raw);
  return parsed && monthOf(parsed.day);
}

/**
 * Tags from the spellings exports use: a JSON object ('{"env":"prod"}'), Azure EA's brace-less form
 * ('"env": "prod","team": "a"'), a list of {key, value} pairs (GCP labels), or an object value.
 * Keys are kept as written (trimmed); values become strings.
 */
export function parseTags(value: unknown, column: string): Record<string, string> {
  if (value === null || value === undefined) return {};
  if (Array.isArray(value)) return fromPairs(value, column);
  if (typeof value === 'object') return stringValues(value as Record<string, unknown>);
  return { ...sharedTags(String(value), column) };
}

const NO_TAGS: Readonly<Record<string, string>> = Object.freeze({});

/**
 * parseTags for a text cell, without the copy: one frozen object per distinct text, so that whatever is
 * derived from a tag set (the importer's JSON of it) can be kept per object instead of redone per line.
 */
export function sharedTags(value: string | null, column: string): Readonly<Record<string, string>> {
  if (value === null) return NO_TAGS;
  const raw = value.trim();
  if (NULL_SPELLINGS.has(raw) || raw === '{}' || raw === '[]') return NO_TAGS;
  // Tag texts that repeat (per account, per team) are parsed once; where every row's text differs (tags
  // naming the resource) the cache only costs a hash, a copy and an eviction per row, so it steps aside.
  const cached = tagCacheUse.worthIt() ? tagCache.get(raw) : undefined;
  tagCacheUse.count(cached !== undefined);
  if (cached !== undefined) return cached;
  // A text that is not tags is not cached: its error names the column it was read from.
  const parsed = withJson(parseTagText(raw, column));
  if (tagCacheUse.worthIt()) tagCache.set(raw, parsed);
  return parsed;
}

/**
 * Whether the tag cache earns its keep: measured over windows of lookups, it is skipped for a while
 * after a window where almost nothing was found, then tried again (an export's tags change shape).
 */
const tagCacheUse = {
  lookups: 0,
  hits: 0,
  skipUntil: 0,
  worthIt(): boolean {
    return this.lookups >= this.skipUntil;
  },
  count(hit: boolean): void {
    this.lookups++;
    if (hit) this.hits++;
    if (this.lookups % 4096 !== 0 || !this.worthIt()) return;
    if (this.hits < 205) this.skipUntil = this.lookups + 65_536;
    this.hits = 0;
  },
};

/** The canonical JSON of tags read with sharedTags (a hidden property), so a line's tags are serialised once. */
export const TAGS_JSON: unique symbol = Symbol('tagsJson');

function withJson(tags: Record<string, string>): Readonly<Record<string, string>> {
  Object.defineProperty(tags, TAGS_JSON, { value: JSON.stringify(tags) });
  return Object.freeze(tags);
}

function parseTagText(raw: string, column: string): Record<string, string> {
  const candidates = raw.startsWith('{') || raw.startsWith('[') ? [raw] : [`{${raw}}`];
  // Python-style reprs from flattened exports use single quotes.
  if (raw.includes("'")) candidates.push((candidates[0] ?? raw).replace(/'/g, '"'));
  for (const candidate of candidates) {
    try {
      const parsed: unknown = JSON.parse(candidate);
      if (Array.isArray(parsed)) return fromPairs(parsed, column);
      // A fresh object from JSON.parse: kept as it is when it already holds strings under trimmed keys.
      if (parsed && typeof parsed === 'object') return stringValues(parsed as Record<string, unknown>, true);
    } catch {
      // try the next spelling
    }
  }
  throw new RowError(column, `"${column}" is not a tag object: ${excerpt(raw, 80)}`);
}

function fromPairs(pairs: unknown[], column: string): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const pair of pairs) {
    if (!pair || typeof pair !== 'object' || !('key' in pair)) {
      throw new RowError(column, `"${column}" holds a list entry without a key`);
    }
    const { key, value } = pair as { key: unknown; value?: unknown };
    tags[String(key).trim()] = value === null || value === undefined ? '' : String(value);
  }
  return tags;
}

function stringValues(object: Record<string, unknown>, fresh = false): Record<string, string> {
  let plain = fresh;
  for (const key in plain ? object : {}) {
    const value = object[key];
    if (
      typeof value !== 'string' ||
      key.length === 0 ||
      key.charCodeAt(0) <= 32 ||
      key.charCodeAt(key.length - 1) <= 32
    ) {
      plain = false;
      break;
    }
  }
  if (plain) return object as Record<string, string>;
  const tags: Record<string, string> = {};
  for (const [key, value] of Object.entries(object)) {
    tags[key.trim()] =
      value === null || value === undefined ? '' : typeof value === 'string' ? value : JSON.stringify(value);
  }
  return tags;
}

/** ISO 4217 check for a currency cell. */
export function currency(values: RowValues, position: number, column: string, fallback?: string): string {
  const raw = text(values, position) ?? fallback ?? null;
  if (raw === null) throw new RowError(column, `"${column}" is empty`);
  const code = raw.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) throw new RowError(column, `"${column}" is not a currency code: "${excerpt(raw)}"`);
  return code;
}

/** Joins discriminating attributes into one identity string. */
export function discriminator(...parts: (string | null | undefined)[]): string {
  // Array.join writes null and undefined as empty text.
  return parts.join('\u001f');
}
