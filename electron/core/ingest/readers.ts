/**
 * Streams records out of export files without holding them in memory: CSV (optionally gzipped, with or
 * without a BOM), JSON arrays, JSON Lines and Parquet (a slice of rows at a time: parquet-reader.ts). Every record carries
 * its position for error messages: the 1-based physical line for text files (header = line 1) and the
 * 1-based row number for Parquet.
 *
 * Just over 600 lines: one reader per container (CSV, JSON, JSON Lines), each a screenful, behind one openSource; Parquet has its own module.
 */
import { isAscii } from 'node:buffer';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import zlib from 'node:zlib';
import { boundedMessage, excerpt } from '../../../shared/text';
import { CsvTokenizer, type CsvRows } from './csv-tokenizer';

export type { Container } from '../../../shared/formats';
import type { Container } from '../../../shared/formats';

/**
 * How large one record and one field may be, in characters (bytes for ASCII text). Without a bound, a
 * file that is not line-based (or has an unterminated quote) is held whole by the parser: 200 MB of
 * one line took 70 s and 3.1 GiB. Workspace settings `import.maxRecordBytes` / `import.maxFieldBytes`.
 */
export interface ReadLimits {
  /** A longer record (CSV row, JSON line) ends the read: nothing after it can be trusted to line up. */
  maxRecordBytes: number;
  /** A longer field makes its row a bad row (skipped with --skip-bad-rows). */
  maxFieldBytes: number;
}

export const DEFAULT_READ_LIMITS: ReadLimits = { maxRecordBytes: 8 * 1024 * 1024, maxFieldBytes: 1024 * 1024 };

/** Text encodings read: UTF-8 (with or without a BOM) and UTF-16 with a BOM (Excel's "Unicode text"). */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

export interface SourceRecord {
  values: unknown[];
  /** Set when the record is unusable as a whole (too many fields); the importer skips or fails on it. */
  error?: string;
  /** Line (text files) or row number (Parquet) where the record starts. */
  position: number;
}

export interface OpenedSource {
  container: Container;
  columns: string[];
  /** File bytes read so far (compressed bytes for .gz), for progress. */
  bytesRead(): number;
  totalBytes: number;
  /** The records a chunk, row group or slice at a time, so that a reader awaits once per batch. */
  batches: AsyncIterable<SourceRecord[]>;
  /** The same records one by one. Both share one reader: consume one or the other. */
  records: AsyncIterable<SourceRecord>;
  close(): Promise<void>;
  /**
   * The SHA-256 (hex) of the file's bytes as read from disk, once every byte has been read; null
   * before, after a read that stopped early, and for readers that do not read the file front to back
   * (Parquet reads its footer first).
   */
  sha256?(): string | null;
}

/** A problem with the file itself (unreadable, not CSV, ragged row) at a position. */
export class FileError extends Error {
  constructor(
    message: string,
    readonly position: number | null,
    readonly column: string | null = null,
  ) {
    super(boundedMessage(message));
    this.name = 'FileError';
  }
}

const GZIP_MAGIC = [0x1f, 0x8b];
const PARQUET_MAGIC = 'PAR1';

/** Looks at the first bytes to choose a container; names are only a tie-breaker. */
export async function sniffContainer(path: string): Promise<Container> {
  return (await sniffFile(path)).container;
}

/** The container and, for text, its encoding, from the first bytes. */
export async function sniffFile(path: string): Promise<{ container: Container; encoding: TextEncoding }> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(4096);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    const bytes = head.subarray(0, bytesRead);
    if (bytes[0] === GZIP_MAGIC[0] && bytes[1] === GZIP_MAGIC[1]) {
      const inner = gunzipHead(bytes);
      const encoding = sniffEncoding(inner);
      return { container: firstNonSpace(decodeHead(inner, encoding)) === '{' ? 'jsonl.gz' : 'csv.gz', encoding };
    }
    if (bytes.subarray(0, 4).toString('latin1') === PARQUET_MAGIC) return { container: 'parquet', encoding: 'utf8' };
    const encoding = sniffEncoding(bytes);
    const start = firstNonSpace(decodeHead(bytes, encoding));
    const container = start === '[' ? 'json' : start === '{' ? 'jsonl' : 'csv';
    if (encoding !== 'utf8' && container !== 'csv') {
      throw new FileError('JSON in UTF-16 is not supported: save the file as UTF-8', null);
    }
    return { container, encoding };
  } finally {
    await handle.close();
  }
}

function gunzipHead(bytes: Buffer): Buffer {
  try {
    return zlib.gunzipSync(bytes, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
  } catch (error) {
    throw gzipError(error);
  }
}

/** A zlib failure as what it means for the file: corrupt or cut short (a download or copy that stopped). */
function gzipError(error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code ?? '';
  if (!code.startsWith('Z_')) return error as Error;
  const cut = code === 'Z_BUF_ERROR' || /unexpected end/i.test((error as Error).message);
  return new FileError(
    cut
      ? 'the gzip file is cut short (unexpected end of file): copy or download it again'
      : `the gzip data is corrupt (${(error as Error).message}): copy or download the file again`,
    null,
  );
}

/**
 * UTF-16 from its byte-order mark. Without a mark, ASCII text in UTF-16 has a NUL in every other byte:
 * read as UTF-8 it would be garbage with one more "field" than the header, so it is refused by name.
 */
function sniffEncoding(bytes: Buffer): TextEncoding {
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf16be';
  const sample = bytes.subarray(0, 512);
  let evenNul = 0;
  let oddNul = 0;
  for (let at = 0; at < sample.length; at++) {
    if (sample[at] !== 0) continue;
    if (at % 2) oddNul++;
    else evenNul++;
  }
  const half = sample.length / 2;
  if (half >= 8 && (oddNul > half * 0.4 || evenNul > half * 0.4)) {
    throw new FileError(
      'the file looks like UTF-16 text without a byte-order mark: save it as UTF-8 (or as UTF-16 with a BOM)',
      null,
    );
  }
  return 'utf8';
}

function decodeHead(bytes: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf8') return bytes.toString('utf8').replace(/^\uFEFF/, '');
  return new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be').decode(bytes.subarray(0, bytes.length & ~1));
}

function firstNonSpace(text: string): string {
  return /\S/.exec(text)?.[0] ?? '';
}

export async function openSource(path: string, limits: ReadLimits = DEFAULT_READ_LIMITS): Promise<OpenedSource> {
  const { container, encoding } = await sniffFile(path);
  switch (container) {
    case 'csv':
    case 'csv.gz':
      return openCsv(path, container, encoding, limits);
    case 'json':
      return openJsonArray(path, limits);
    case 'jsonl':
    case 'jsonl.gz':
      return openJsonLines(path, container, limits);
    case 'parquet':
      return openParquet(path, limits);
  }
}

/** Whether a scan of this container reads the file front to back and hashes it as it goes (byteCountingStream). */
export function hashedWhileRead(container: Container): boolean {
  return container === 'csv' || container === 'csv.gz' || container === 'jsonl' || container === 'jsonl.gz';
}

/**
 * The file's bytes as a stream, counted for progress and hashed as they pass: the import records every
 * file's SHA-256, and hashing the bytes the scan reads spares a second read of the file (and the thread
 * that did it, which competed with the scan and the writer for the processor). It is also the hash of
 * exactly the bytes imported, even if the file changes meanwhile.
 */
function byteCountingStream(path: string): {
  stream: fs.ReadStream;
  bytes: () => number;
  total: number;
  sha256: () => string | null;
} {
  const total = fs.statSync(path).size;
  const stream = fs.createReadStream(path, { highWaterMark: 1 << 20 });
  const hash = crypto.createHash('sha256');
  let bytes = 0;
  let digest: string | null = null;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    hash.update(chunk as Buffer);
  });
  stream.once('end', () => (digest = hash.digest('hex')));
  return { stream, bytes: () => bytes, total, sha256: () => digest };
}

/** Records of a CSV file a piece of text at a time (csv-tokenizer.ts), pulled as the consumer asks. */
async function openCsv(
  path: string,
  container: 'csv' | 'csv.gz',
  encoding: TextEncoding,
  limits: ReadLimits,
): Promise<OpenedSource> {
  // Sniff first: the byte-counting stream flows as soon as it exists.
  const delimiter = await sniffDelimiter(path, container, encoding);
  const { stream, bytes, total, sha256 } = byteCountingStream(path);
  const input: Readable = container === 'csv.gz' ? stream.pipe(zlib.createGunzip()) : stream;
  stream.on('error', (error) => input.destroy(error));
  const text = textPieces(input, encoding);
  const pieces = text[Symbol.asyncIterator]() as AsyncIterator<string>;
  const tokenizer = new CsvTokenizer(delimiter);
  let ended = false;
  let columns: string[] | null = null;
  // What ends the file (a malformed quote, an endless record), raised once the records before it are read.
  let broken: FileError | null = null;

  /** The next piece's records, or null at the end; the first row of the file becomes the header. */
  async function nextBatch(): Promise<SourceRecord[] | null> {
    for (;;) {
      if (broken) throw broken;
      if (ended) return null;
      const piece = await pieces.next().catch((error: unknown) => {
        throw gzipError(error);
      });
      let read: CsvRows;
      if (piece.done) {
        ended = true;
        read = tokenizer.end();
      } else {
        read = tokenizer.push(piece.value);
        // The record still open is longer than any export's: stop before it holds the whole file.
        if (tokenizer.pending > limits.maxRecordBytes) {
          broken = new FileError(
            `the record starting at line ${tokenizer.pendingLine} is longer than ${sizeText(limits.maxRecordBytes)} (the limit, setting import.maxRecordBytes): the file is not a line-based export, or a quote is never closed`,
            tokenizer.pendingLine,
          );
          text.destroy();
          stream.destroy();
        }
      }
      const records = toRecords(read);
      if (read.error) broken ??= new FileError(`not valid CSV: ${read.error.message.toLowerCase()}`, read.error.line);
      if (records.length > 0) return records;
    }
  }

  function toRecords(read: CsvRows): SourceRecord[] {
    const records: SourceRecord[] = [];
    const { rows, lines } = read;
    for (let index = 0; index < rows.length; index++) {
      const row = rows[index]!;
      const start = lines[index]!;
      if (columns === null) {
        columns = row.map((name, i) => (i === 0 ? name.replace(/^\uFEFF/, '') : name).trim());
        const long = columns.findIndex((name) => name.length > limits.maxFieldBytes);
        if (long !== -1) {
          broken = new FileError(
            `header column ${long + 1} is longer than ${sizeText(limits.maxFieldBytes)} (the limit, setting import.maxFieldBytes)`,
            start,
          );
          break;
        }
        continue;
      }
      let longest = 0;
      for (let i = 0; i < row.length; i++) if (row[i]!.length > longest) longest = row[i]!.length;
      const record = toRecord(row, start, columns.length);
      if (record && !record.error && longest > limits.maxFieldBytes) {
        record.error = oversizedField(row, columns, limits) ?? undefined;
      }
      if (record) records.push(record);
    }
    return records;
  }

  const first = await nextBatch();
  if (columns === null) throw broken ?? new FileError('the file is empty: it has no header line', 1);
  const header: string[] = columns;
  if (header.every((name) => name === '')) throw new FileError('the header line is blank', 1);

  async function* batchesOf(): AsyncGenerator<SourceRecord[]> {
    if (first?.length) yield first;
    for (let next = await nextBatch(); next; next = await nextBatch()) yield next;
  }
  const recordBatches = batchesOf();
  return {
    container,
    columns: header,
    bytesRead: bytes,
    totalBytes: total,
    batches: recordBatches,
    records: flatten(recordBatches),
    close: async () => {
      text.destroy();
      stream.destroy();
    },
    sha256,
  };
}

/** "8 MiB", "512 KiB", "300 characters": a limit as people read it. */
export function sizeText(characters: number): string {
  if (characters >= 1 << 20 && characters % (1 << 20) === 0) return `${characters / (1 << 20)} MiB`;
  if (characters >= 1 << 10 && characters % (1 << 10) === 0) return `${characters / (1 << 10)} KiB`;
  return `${characters.toLocaleString('en-US')} characters`;
}

/** Why a row's field is too long to keep, naming the column; null when every field fits. */
function oversizedField(values: readonly unknown[], columns: readonly string[], limits: ReadLimits): string | null {
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (typeof value === 'string' && value.length > limits.maxFieldBytes) {
      return `the value in column "${excerpt(columns[i] ?? `#${i + 1}`, 80)}" is ${value.length.toLocaleString('en-US')} characters long, more than ${sizeText(limits.maxFieldBytes)} (the limit, setting import.maxFieldBytes)`;
    }
  }
  return null;
}

/** A CSV row as a record of `width` fields, or null for a blank line. */
function toRecord(row: string[], position: number, width: number): SourceRecord | null {
  if (row.length === 1 && row[0]!.trim() === '') return null;
  if (row.length < width) {
    // Exporters and spreadsheet tools drop trailing empty fields (koku's CUR, OpenCost's Azure
    // samples): they are empty cells. A truncated row still fails on the mapper's required columns.
    while (row.length < width) row.push('');
  } else if (row.length > width) {
    // Dangling commas are harmless; anything else in the extra fields is a broken row.
    for (let i = width; i < row.length; i++) {
      if (row[i]!.trim() !== '') {
        return { values: row, position, error: `expected ${width} fields as in the header, found ${row.length}` };
      }
    }
    row.length = width;
  }
  return { values: row, position };
}

async function* flatten(batches: AsyncIterable<SourceRecord[]>): AsyncGenerator<SourceRecord> {
  for await (const batch of batches) yield* batch;
}

/**
 * Characters per piece of text handed to the tokenizer. Under V8's largest regular object (128 KiB): a
 * larger string goes to the large-object space, fresh pages from the system for each, and decoding a
 * 130 MB file into 256 K-character pieces took 540 ms of page faults against 16 ms in 64 K pieces.
 */
const PIECE = 1 << 16;

/**
 * The file's text in pieces of at most PIECE characters. Buffers are decoded with one StringDecoder, so
 * a multi-byte character split between two reads arrives whole (decoding each read on its own turned
 * it into two U+FFFD). Smaller pieces mean fewer parsed rows waiting for the consumer, so fewer of them
 * live long enough for the garbage collector to copy.
 */
function textPieces(input: Readable, encoding: TextEncoding): Readable {
  const pieces = new Readable({ objectMode: true, highWaterMark: 1, read: () => input.resume() });
  const decoder = new StringDecoder('utf8');
  // UTF-16 (with its BOM, which the decoder drops); streaming keeps a code unit split between reads whole.
  const wide = encoding === 'utf8' ? null : new TextDecoder(encoding === 'utf16le' ? 'utf-16le' : 'utf-16be');
  let decoderMayHold = false;
  let room = true;
  const push = (text: string) => {
    for (let at = 0; at < text.length; at += PIECE) room = pieces.push(text.slice(at, at + PIECE));
  };
  input.on('data', (chunk: Buffer) => {
    if (pieces.destroyed) return;
    if (wide) push(wide.decode(chunk, { stream: true }));
    else {
      // ASCII reads the same as latin1, which skips UTF-8 decoding (measured: about 5× faster on exports).
      // Not right after a non-ASCII read: the decoder may hold the first bytes of its last character.
      const ascii = isAscii(chunk);
      if (ascii && !decoderMayHold) {
        // Each piece decoded on its own: Node makes a decoded megabyte an external string, whose slices
        // were read several times slower than a string of the piece's own.
        for (let at = 0; at < chunk.length; at += PIECE) {
          room = pieces.push(chunk.toString('latin1', at, Math.min(at + PIECE, chunk.length)));
        }
      } else push(decoder.write(chunk));
      decoderMayHold = !ascii;
    }
    if (!room) input.pause();
  });
  input.on('end', () => {
    const rest = wide ? wide.decode() : decoder.end();
    if (rest) push(rest);
    pieces.push(null);
  });
  input.on('error', (error) => pieces.destroy(error));
  return pieces;
}

/** Comma unless the header line clearly uses semicolons or tabs (European spreadsheet exports). */
async function sniffDelimiter(path: string, container: 'csv' | 'csv.gz', encoding: TextEncoding): Promise<string> {
  const handle = await fs.promises.open(path, 'r');
  try {
    const head = Buffer.alloc(65536);
    const { bytesRead } = await handle.read(head, 0, head.length, 0);
    let text: Buffer = head.subarray(0, bytesRead);
    if (container === 'csv.gz') text = gunzipHead(text);
    const header = decodeHead(text, encoding).split('\n', 1)[0] ?? '';
    const count = (char: string) => header.split(char).length - 1;
    const [comma, semicolon, tab] = [count(','), count(';'), count('\t')];
    if (semicolon > comma && semicolon >= tab) return ';';
    if (tab > comma && tab > semicolon) return '\t';
    return ',';
  } finally {
    await handle.close();
  }
}

/**
 * Nested objects become dotted columns ("service.description", "cost.amount"); arrays (GCP credits,
 * labels) stay values for the mapper.
 */
export function flattenRecord(
  object: Record<string, unknown>,
  prefix = '',
  into: Map<string, unknown> = new Map(),
): Map<string, unknown> {
  for (const [key, value] of Object.entries(object)) {
    const name = prefix ? `${prefix}.${key}` : key;
    if (
      value &&
      typeof value === 'object' &&
      !Array.isArray(value) &&
      !(value instanceof Date) &&
      !(value instanceof Uint8Array)
    ) {
      flattenRecord(value as Record<string, unknown>, name, into);
    } else {
      into.set(name, value);
    }
  }
  return into;
}

interface SourceObject {
  object: unknown;
  position: number;
}

/** How many records of an in-memory JSON array make one batch. */
const ARRAY_BATCH = 1024;

/**
 * Records with a varying key set: columns are the first record's keys plus any later ones the first
 * record lacked are ignored unless they were declared. The mappers only read known columns, so the
 * union over the first 1,000 records is plenty and keeps memory bounded.
 */
function objectSource(
  container: Container,
  objects: AsyncIterable<SourceObject[]>,
  bytes: () => number,
  total: number,
  close: () => Promise<void>,
  limits: ReadLimits,
): Promise<OpenedSource> {
  return (async () => {
    const iterator = objects[Symbol.asyncIterator]();
    const lookahead: { flat: Map<string, unknown>; position: number }[] = [];
    // Objects read past the lookahead, turned into records with the next batch.
    let rest: SourceObject[] = [];
    const columnSet = new Set<string>();
    read: while (lookahead.length < 1000) {
      const next = await iterator.next();
      if (next.done) break;
      const items = next.value;
      for (let index = 0; index < items.length; index++) {
        if (lookahead.length === 1000) {
          rest = items.slice(index);
          break read;
        }
        const { object, position } = items[index]!;
        const flat = toFlat(object, position);
        flat.forEach((_value, key) => columnSet.add(key));
        lookahead.push({ flat, position });
      }
    }
    const columns = [...columnSet];
    const toRecord = (flat: Map<string, unknown>, position: number): SourceRecord => {
      const values = columns.map((column) => flat.get(column));
      const error = oversizedField(values, columns, limits);
      return error ? { values, position, error } : { values, position };
    };
    async function* batches(): AsyncGenerator<SourceRecord[]> {
      if (lookahead.length) yield lookahead.map((item) => toRecord(item.flat, item.position));
      lookahead.length = 0;
      for (let items = rest; ;) {
        rest = [];
        const records: SourceRecord[] = [];
        let failure: unknown = null;
        for (const { object, position } of items) {
          try {
            records.push(toRecord(toFlat(object, position), position));
          } catch (error) {
            // The records before a broken one still come first, as they would one by one.
            failure = error;
            break;
          }
        }
        if (records.length) yield records;
        if (failure) throw failure;
        const next = await iterator.next();
        if (next.done) return;
        items = next.value;
      }
    }
    const recordBatches = batches();
    return {
      container,
      columns,
      bytesRead: bytes,
      totalBytes: total,
      batches: recordBatches,
      records: flatten(recordBatches),
      close,
    };
  })();
}

function toFlat(object: unknown, position: number): Map<string, unknown> {
  if (!object || typeof object !== 'object' || Array.isArray(object)) {
    throw new FileError('expected a JSON object per record', position);
  }
  return flattenRecord(object as Record<string, unknown>);
}

async function openJsonLines(path: string, container: 'jsonl' | 'jsonl.gz', limits: ReadLimits): Promise<OpenedSource> {
  const { stream, bytes, total, sha256 } = byteCountingStream(path);
  const input: Readable = container === 'jsonl.gz' ? stream.pipe(zlib.createGunzip()) : stream;
  stream.on('error', (error) => input.destroy(error));
  async function* objects(): AsyncGenerator<SourceObject[]> {
    let line = 0;
    for await (const text of boundedLines(input, limits.maxRecordBytes)) {
      line++;
      const trimmed = text.replace(/^\uFEFF/, '').trim();
      if (!trimmed) continue;
      try {
        yield [{ object: JSON.parse(trimmed) as unknown, position: line }];
      } catch (error) {
        throw new FileError(`not valid JSON: ${excerpt((error as Error).message)}`, line);
      }
    }
  }
  const opened = await objectSource(
    container,
    objects(),
    bytes,
    total,
    async () => {
      input.destroy();
      stream.destroy();
    },
    limits,
  );
  return { ...opened, sha256 };
}

/**
 * The lines of a byte stream as UTF-8 text (a "\n" byte never falls inside a UTF-8 character), with
 * "\r\n" ends trimmed. A line longer than `maxBytes` is an error as soon as that many bytes arrive
 * without a line break, instead of being collected whole (readline would hold any length).
 */
async function* boundedLines(input: Readable, maxBytes: number): AsyncGenerator<string> {
  let carry: Buffer[] = [];
  let carried = 0;
  let line = 0;
  const tooLong = () =>
    new FileError(
      `line ${line + 1} is longer than ${sizeText(maxBytes)} (the limit, setting import.maxRecordBytes): the file is not JSON Lines, or a line break is missing`,
      line + 1,
    );
  try {
    for await (const chunk of input as AsyncIterable<Buffer>) {
      let start = 0;
      for (let end = chunk.indexOf(0x0a); end !== -1; end = chunk.indexOf(0x0a, start)) {
        if (carried + end - start > maxBytes) throw tooLong();
        const piece = chunk.subarray(start, end);
        const bytes = carried ? Buffer.concat([...carry, piece]) : piece;
        carry = [];
        carried = 0;
        line++;
        const text = bytes.toString('utf8');
        yield text.endsWith('\r') ? text.slice(0, -1) : text;
        start = end + 1;
      }
      if (start < chunk.length) {
        carry.push(chunk.subarray(start));
        carried += chunk.length - start;
        if (carried > maxBytes) throw tooLong();
      }
    }
  } catch (error) {
    throw gzipError(error);
  }
  if (carried) {
    const text = Buffer.concat(carry).toString('utf8');
    yield text.endsWith('\r') ? text.slice(0, -1) : text;
  }
}

/** Whole-file JSON arrays (GCP's legacy file export): these files are one day each, so reading one at once is fine. */
const MAX_JSON_ARRAY_BYTES = 256 * 1024 * 1024;

async function openJsonArray(path: string, limits: ReadLimits): Promise<OpenedSource> {
  const total = (await fs.promises.stat(path)).size;
  if (total > MAX_JSON_ARRAY_BYTES) {
    throw new FileError('JSON arrays over 256 MiB are not supported; export JSON Lines instead', null);
  }
  const text = (await fs.promises.readFile(path, 'utf8')).replace(/^\uFEFF/, '');
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new FileError(`not valid JSON: ${(error as Error).message}`, null);
  }
  if (!Array.isArray(parsed)) throw new FileError('expected a JSON array of records', 1);
  const items = parsed as unknown[];
  async function* objects(): AsyncGenerator<SourceObject[]> {
    for (let start = 0; start < items.length; start += ARRAY_BATCH) {
      const end = Math.min(start + ARRAY_BATCH, items.length);
      const batch: SourceObject[] = [];
      for (let index = start; index < end; index++) batch.push({ object: items[index], position: index + 1 });
      yield batch;
    }
  }
  return objectSource(
    'json',
    objects(),
    () => total,
    total,
    async () => {},
    limits,
  );
}

async function openParquet(path: string, limits: ReadLimits): Promise<OpenedSource> {
  // Loaded on use: most imports are text, and the Parquet reader loads hyparquet.
  const { openParquet: open } = await import('./parquet-reader');
  return open(path, limits, (values, columns) => oversizedField(values, columns, limits));
}
