/**
 * Stored audit events as bytes, for the chain check and exports. The JSON columns hold canonical JSON
 * text (record() stores canonicalJson of each value), so an event's canonical JSON, and with it its hash,
 * can be put together from the stored text piece by piece: no JSON.parse and re-serialisation (which
 * cost about ten times a value's size), and no UTF-16 copy of a value either, since SQLite hands the
 * columns over as BLOBs. Values written before the size cap (up to hundreds of MB) are read in slices.
 */
import crypto from 'node:crypto';
import type BetterSqlite3 from 'better-sqlite3';
import { AUDIT_CSV_COLUMNS } from '../../../shared/audit';

/** The text columns of audit_event: the CSV export's columns after `seq`, in that order. */
export const STORED_COLUMNS = AUDIT_CSV_COLUMNS.slice(1) as Exclude<(typeof AUDIT_CSV_COLUMNS)[number], 'seq'>[];
export type StoredColumn = (typeof STORED_COLUMNS)[number];

/** A value: its UTF-8 bytes, SQL NULL, or (too large to read with its row) its length in bytes. */
export type StoredValue = Buffer | null | { bytes: number };

export interface StoredEvent {
  seq: number;
  values: Record<StoredColumn, StoredValue>;
}

/** Values up to this size are read with their row; only events written before the cap hold larger ones. */
export const READ_WHOLE_MAX_BYTES = 32 * 1024 * 1024;
/**
 * Larger values are read in slices of this size. SQLite loads the whole value to take each slice (and
 * better-sqlite3 has no incremental blob I/O), so a value costs about its size plus two slices rather
 * than twice its size, but one pass over its pages per slice: on a trail with two 200 MB events,
 * `audit check` peaked at 540 MiB in 23 s with 32 MiB slices, 650 MiB in 14 s with 64 MiB slices, and
 * 810 MiB in 5.5 s reading them whole (V8 collects the first value's Buffer only after the second is read).
 */
export const SLICE_BYTES = 32 * 1024 * 1024;

type Sink = (piece: Buffer | string) => void;

/**
 * The columns as SQL expressions, each with its length (`column__n`), and its value only when it is at
 * most `maxBytes(column)` long: octet_length() reads no value, so a large one is never loaded.
 */
export function guardedColumns(maxBytes: (column: StoredColumn) => number, as: 'BLOB' | 'TEXT'): string {
  return STORED_COLUMNS.map((c) => {
    const value = as === 'BLOB' ? `CAST(${c} AS BLOB)` : c;
    return `octet_length(${c}) AS ${c}__n, CASE WHEN octet_length(${c}) <= ${maxBytes(c)} THEN ${value} END AS ${c}`;
  }).join(', ');
}

/** A row of guardedColumns(…, 'BLOB') as a StoredEvent. */
function toStoredEvent(row: Record<string, unknown>): StoredEvent {
  const values = {} as Record<StoredColumn, StoredValue>;
  for (const column of STORED_COLUMNS) {
    const length = row[`${column}__n`] as bigint | number | null;
    const value = row[column] as Buffer | null;
    values[column] = length === null ? null : (value ?? { bytes: Number(length) });
  }
  return { seq: Number(row.seq as bigint | number), values };
}

/** Reads stored events and writes them out as canonical JSON or CSV, in pieces. */
export class StoredEvents {
  private readonly slices = new Map<StoredColumn, BetterSqlite3.Statement>();
  /** The hash being taken, and one buffer for all events' pieces (a buffer per event cost more than hashing). */
  private digest: crypto.Hash | null = null;
  private readonly hashPieces = new PieceBuffer((chunk) => this.digest!.update(chunk), 64 * 1024);

  constructor(private readonly sqlite: BetterSqlite3.Database) {}

  /**
   * Events in sequence order after `afterSeq`, those whose timestamp lies in [from, to] when given. A
   * scan by sequence number (the `IS NULL OR` keeps SQLite off the ts index, which would sort whole rows).
   */
  *iterate(filter: { afterSeq?: number; from?: string | null; to?: string | null } = {}): Generator<StoredEvent> {
    const statement = this.sqlite.prepare(
      `SELECT seq, ${guardedColumns(() => READ_WHOLE_MAX_BYTES, 'BLOB')} FROM audit_event
       WHERE seq > @after AND (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts <= @to) ORDER BY seq`,
    );
    const rows = statement.iterate({ after: filter.afterSeq ?? 0, from: filter.from ?? null, to: filter.to ?? null });
    for (const row of rows as Iterable<Record<string, unknown>>) yield toStoredEvent(row);
  }

  /** A value's bytes, in one piece or (for a large one) in slices. */
  *bytes(seq: number, column: StoredColumn, value: Buffer | { bytes: number }): Generator<Buffer> {
    if (Buffer.isBuffer(value)) {
      yield value;
      return;
    }
    let statement = this.slices.get(column);
    if (!statement) {
      statement = this.sqlite.prepare(
        `SELECT substr(CAST(${column} AS BLOB), ?, ?) AS piece FROM audit_event WHERE seq = ?`,
      );
      this.slices.set(column, statement);
    }
    for (let offset = 0; offset < value.bytes; offset += SLICE_BYTES) {
      const row = statement.get(offset + 1, SLICE_BYTES, seq) as { piece: Buffer | null } | undefined;
      if (!row?.piece?.length) throw new Error(`audit event ${seq} changed while it was read`);
      yield row.piece;
    }
  }

  /** A small value as text (hashes, sequence anchors); a large one is never a valid hash. */
  static text(value: StoredValue): string | null {
    if (value === null) return null;
    return Buffer.isBuffer(value) ? value.toString('utf8') : `(${value.bytes} bytes)`;
  }

  /** A text column as a JSON string (or null), escaped as JSON.stringify escapes it. */
  private jsonString(event: StoredEvent, column: StoredColumn, sink: Sink): void {
    const value = event.values[column];
    if (value === null) return sink('null');
    sink('"');
    for (const piece of this.bytes(event.seq, column, value)) escapeJson(piece, sink);
    sink('"');
  }

  /** A JSON column as stored (canonical JSON already). */
  private json(event: StoredEvent, column: StoredColumn, sink: Sink): void {
    const value = event.values[column];
    if (value === null) return sink('null');
    for (const piece of this.bytes(event.seq, column, value)) sink(piece);
  }

  /**
   * The event's canonical JSON (shared/audit.ts), with or without `hash`: what record() hashed, and what
   * a JSONL export holds. Keys in code point order.
   */
  canonical(event: StoredEvent, withHash: boolean, sink: Sink): void {
    sink('{"action":');
    this.jsonString(event, 'action', sink);
    sink(',"actor":{"os":');
    this.jsonString(event, 'actor_os', sink);
    sink(',"user":');
    this.jsonString(event, 'actor_user', sink);
    sink('},"after":');
    this.json(event, 'after', sink);
    sink(',"appVersion":');
    this.jsonString(event, 'app_version', sink);
    sink(',"before":');
    this.json(event, 'before', sink);
    sink(',"details":');
    this.json(event, 'details', sink);
    sink(',"entityId":');
    this.jsonString(event, 'entity_id', sink);
    sink(',"entityType":');
    this.jsonString(event, 'entity_type', sink);
    if (withHash) {
      sink(',"hash":');
      this.jsonString(event, 'hash', sink);
    }
    sink(',"prevHash":');
    this.jsonString(event, 'prev_hash', sink);
    sink(',"runId":');
    this.jsonString(event, 'run_id', sink);
    sink(`,"seq":${event.seq},"ts":`);
    this.jsonString(event, 'ts', sink);
    sink('}');
  }

  /** SHA-256 of prevHash, a newline and the canonical JSON without hash: what the event's hash must be. */
  hash(event: StoredEvent): string {
    const digest = crypto.createHash('sha256');
    const pieces = this.hashPieces;
    this.digest = digest;
    try {
      for (const piece of this.bytes(event.seq, 'prev_hash', event.values.prev_hash ?? Buffer.from('null')))
        pieces.write(piece);
      pieces.write('\n');
      this.canonical(event, false, (piece) => pieces.write(piece));
      pieces.flush();
    } finally {
      pieces.discard();
      this.digest = null;
    }
    return digest.digest('hex');
  }

  /**
   * The event as a CSV row (AUDIT_CSV_COLUMNS, RFC 4180): texts as they are, JSON columns as canonical
   * JSON, null as an empty cell; a cell holding `"`, `,`, CR or LF is quoted with `"` doubled. A value
   * read in slices is always quoted (whether it needs it is only known after reading it all).
   */
  csvRow(event: StoredEvent, sink: Sink): void {
    sink(String(event.seq));
    for (const column of STORED_COLUMNS) {
      sink(',');
      const value = event.values[column];
      if (value === null) continue;
      if (Buffer.isBuffer(value)) {
        if (JSON_COLUMNS.has(column) && value.length === 4 && value.toString('latin1') === 'null') continue;
        if (!needsQuotes(value)) sink(value);
        else quoteCsv([value], sink);
      } else quoteCsv(this.bytes(event.seq, column, value), sink);
    }
  }
}

const JSON_COLUMNS = new Set<StoredColumn>(['before', 'after', 'details']);

/** JSON.stringify's escapes for the bytes that need one (control characters, `"` and `\`). */
const ESCAPES: (string | null)[] = Array.from({ length: 256 }, (_, byte) =>
  byte < 0x20 || byte === 0x22 || byte === 0x5c ? JSON.stringify(String.fromCharCode(byte)).slice(1, -1) : null,
);

/**
 * UTF-8 bytes escaped for a JSON string, as JSON.stringify escapes the text they encode. Bytes of
 * multi-byte characters are never below 0x80, so a value may be escaped slice by slice.
 */
export function escapeJson(bytes: Buffer, sink: Sink): void {
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    const escape = ESCAPES[bytes[i]!];
    if (escape === null || escape === undefined) continue;
    if (i > start) sink(bytes.subarray(start, i));
    sink(escape);
    start = i + 1;
  }
  if (start === 0) sink(bytes);
  else if (start < bytes.length) sink(bytes.subarray(start));
}

function needsQuotes(bytes: Buffer): boolean {
  return bytes.includes(0x22) || bytes.includes(0x2c) || bytes.includes(0x0a) || bytes.includes(0x0d);
}

function quoteCsv(pieces: Iterable<Buffer>, sink: Sink): void {
  sink('"');
  for (const piece of pieces) {
    let start = 0;
    for (let quote = piece.indexOf(0x22); quote !== -1; quote = piece.indexOf(0x22, start)) {
      sink(piece.subarray(start, quote + 1));
      sink('"');
      start = quote + 1;
    }
    if (start < piece.length) sink(start === 0 ? piece : piece.subarray(start));
  }
  sink('"');
}

const LARGE_PIECE_BYTES = 16 * 1024;

/**
 * Gathers small pieces into chunks of `size` bytes for `flush` (a hash, a file): a call per piece cost
 * more than the work. Strings must be ASCII (the pieces' punctuation). `sink` must use each chunk at
 * once: its memory is reused.
 */
export class PieceBuffer {
  private readonly buffer: Buffer;
  private used = 0;

  constructor(
    private readonly sink: (chunk: Buffer) => void,
    size = 256 * 1024,
  ) {
    this.buffer = Buffer.allocUnsafe(size);
  }

  write(piece: Buffer | string): void {
    const length = piece.length;
    // A large piece goes as it is, after what came before it.
    if (length >= LARGE_PIECE_BYTES && typeof piece !== 'string') {
      this.flush();
      return this.sink(piece);
    }
    if (this.used + length > this.buffer.length) this.flush();
    if (typeof piece === 'string') {
      if (length > this.buffer.length) return this.sink(Buffer.from(piece, 'latin1'));
      this.buffer.write(piece, this.used, 'latin1');
    } else piece.copy(this.buffer, this.used);
    this.used += length;
  }

  flush(): void {
    if (this.used === 0) return;
    this.sink(this.buffer.subarray(0, this.used));
    this.used = 0;
  }

  /** Drops what is gathered (after a failure). */
  discard(): void {
    this.used = 0;
  }
}
