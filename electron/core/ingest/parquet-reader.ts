/**
 * Parquet records with bounded memory, whatever the file's size or row-group size. Columns come from the
 * schema in the footer, so opening a file (format detection, an unchanged re-import) decodes no rows.
 * Rows are handed out a slice of SLICE_ROWS at a time: each column chunk is read page by page through
 * its own cursor (a page is decoded once, and only its bytes are read), so what is held is about one
 * page per column plus one slice of records. Nested columns (maps, lists, structs) have a cursor per
 * physical column, and each slice of them is assembled with hyparquet's assembleNested. Asking
 * hyparquet for row ranges instead decodes a whole page (or, for nested columns, the whole column
 * chunk) for every range that touches it: quadratic in the row-group size.
 *
 * Reading whole row groups held every row of a group as an object at once: an Athena CUR of 335,000
 * rows in one row group (4.2 MB on disk) peaked at 2.7 GiB.
 */
import fs from 'node:fs';
import type { DecodedArray, FileMetaData, PageHeader, RowGroup, SchemaTree } from 'hyparquet';
import type * as AssembleModule from 'hyparquet/src/assemble.js';
import type * as ColumnModule from 'hyparquet/src/column.js';
import type * as ConvertModule from 'hyparquet/src/convert.js';
import type * as DatapageModule from 'hyparquet/src/datapage.js';
import type * as HyparquetModule from 'hyparquet/src/node.js';
import type * as SchemaModule from 'hyparquet/src/schema.js';
import type { ColumnDecoder } from 'hyparquet/src/types.js';
import type { compressors as Compressors } from 'hyparquet-compressors';
import { exactDecimalReading, type Restore } from './parquet-exact';
import { FileError, type OpenedSource, type ReadLimits, type SourceRecord } from './readers';

/**
 * Rows per slice handed to the scan. What a slice holds is alive while the scan maps it, and the scan
 * thread's young-generation collections copy what is alive: on a 1 M-row CUR 2.0 file, slices of 4,096
 * rows spent a quarter of the scan in collection, and 1,024 rows scanned it in 11-13 s against 14-17 s
 * (512 was no faster, 2,048 between).
 */
export const SLICE_ROWS = 1024;
/** Bytes read from a column chunk at a time (more when one page is larger). */
const WINDOW_BYTES = 1 << 20;

/**
 * Counters for tests and the benchmark: how much was decoded, the most rows held at once, and the most
 * rows of a nested column assembled into lists at once.
 */
export const parquetReadStats = { slices: 0, rowsDecoded: 0, maxRowsHeld: 0, pagesDecoded: 0, maxListsHeld: 0 };

type Hyparquet = typeof HyparquetModule;
type HyparquetColumn = typeof ColumnModule;

interface Modules {
  hyparquet: Hyparquet;
  column: HyparquetColumn;
  convert: typeof ConvertModule;
  datapage: typeof DatapageModule;
  schema: typeof SchemaModule;
  assemble: typeof AssembleModule;
  compressors: typeof Compressors;
}

async function load(): Promise<Modules> {
  // hyparquet is ESM only: loaded on use.
  const [hyparquet, column, convert, datapage, schema, assemble, { compressors }] = await Promise.all([
    import('hyparquet/src/node.js'),
    import('hyparquet/src/column.js'),
    import('hyparquet/src/convert.js'),
    import('hyparquet/src/datapage.js'),
    import('hyparquet/src/schema.js'),
    import('hyparquet/src/assemble.js'),
    import('hyparquet-compressors'),
  ]);
  return { hyparquet, column, convert, datapage, schema, assemble, compressors };
}

/** A top-level schema column and where its values go in a record. */
interface TopColumn {
  name: string;
  node: SchemaTree;
  /** Position of its first column in the record. */
  first: number;
  /** For a struct: the dotted leaves' paths below it, in column order (JSON-like flattening). */
  leaves: string[][] | null;
  restore: Restore | null;
}

/**
 * The columns a record has: top-level columns by name, struct fields as dotted names (as JSON records are
 * flattened: "service.description"); maps and lists stay one value each (a map arrives as an object).
 */
function layoutOf(tree: SchemaTree, modules: Modules, restoreOf: (name: string) => Restore | null) {
  const { isListLike, isMapLike } = modules.schema;
  const isStruct = (node: SchemaTree) =>
    node.children.length > 0 && !isListLike(node) && !isMapLike(node) && node.element.repetition_type !== 'REPEATED';
  const leavesOf = (node: SchemaTree, prefix: string[]): string[][] =>
    node.children.flatMap((child) =>
      isStruct(child) ? leavesOf(child, [...prefix, child.element.name]) : [[...prefix, child.element.name]],
    );
  const columns: string[] = [];
  const tops: TopColumn[] = tree.children.map((node) => {
    const name = node.element.name;
    const leaves = isStruct(node) ? leavesOf(node, []) : null;
    const top: TopColumn = {
      name,
      node,
      first: columns.length,
      leaves,
      restore: restoreOf(name),
    };
    if (leaves) for (const leaf of leaves) columns.push([name, ...leaf].join('.'));
    else columns.push(name);
    return top;
  });
  return { columns, tops };
}

/** The columns of a Parquet file from its footer alone. */
export async function parquetColumns(path: string): Promise<string[]> {
  const modules = await load();
  const file = await modules.hyparquet.asyncBufferFromFile(path);
  const metadata = await readMetadata(modules, file);
  return layoutOf(modules.hyparquet.parquetSchema(metadata), modules, () => null).columns;
}

/** Uncompressed bytes of a Parquet file's data, from its footer: what a scan of it will chew through. */
export async function parquetDataBytes(path: string): Promise<number> {
  const modules = await load();
  const metadata = await readMetadata(modules, await modules.hyparquet.asyncBufferFromFile(path));
  return metadata.row_groups.reduce((sum, group) => sum + Number(group.total_byte_size), 0);
}

async function readMetadata(
  modules: Modules,
  file: Awaited<ReturnType<Hyparquet['asyncBufferFromFile']>>,
): Promise<FileMetaData> {
  try {
    return await modules.hyparquet.parquetMetadataAsync(file);
  } catch (error) {
    throw new FileError(`not a readable Parquet file: ${(error as Error).message}`, null);
  }
}

export async function openParquet(
  path: string,
  limits: ReadLimits,
  tooLong: (values: readonly unknown[], columns: readonly string[]) => string | null,
): Promise<OpenedSource> {
  const modules = await load();
  const file = await modules.hyparquet.asyncBufferFromFile(path);
  const original = await readMetadata(modules, file);
  const exact = await exactDecimalReading(original);
  const metadata = exact?.metadata ?? original;
  const utf8 = exact?.utf8 ?? true;
  const tree = modules.hyparquet.parquetSchema(metadata);
  const { columns, tops } = layoutOf(tree, modules, (name) => exact?.column(name) ?? null);
  const anyStruct = tops.some((top) => top.leaves);
  const width = columns.length;
  const parsers = textTimestamps(modules.convert.DEFAULT_PARSERS);
  let handle: fs.promises.FileHandle | null = await fs.promises.open(path, 'r');
  let bytes = 0;

  /** A cursor per physical column of `top` in `group`. */
  const cursorsOf = (group: RowGroup, top: TopColumn): PageCursor[] => {
    const chunks = group.columns.filter((column) => column.meta_data?.path_in_schema[0] === top.name);
    if (!chunks.length) throw new FileError(`a row group has no data for column "${top.name}"`, null, top.name);
    return chunks.map((chunk) => {
      const meta = chunk.meta_data!;
      if (chunk.file_path) throw new FileError('Parquet files whose data lives in other files are not supported', null);
      const schemaPath = modules.schema.getTreePath(tree, meta.path_in_schema);
      const decoder: ColumnDecoder = {
        pathInSchema: meta.path_in_schema,
        element: schemaPath[schemaPath.length - 1]!.element,
        schemaPath,
        type: meta.type,
        codec: meta.codec,
        parsers,
        compressors: modules.compressors,
        utf8,
      };
      const start = Number(meta.dictionary_page_offset || meta.data_page_offset);
      const end = start + Number(meta.total_compressed_size);
      const flat = modules.schema.isFlatColumn(schemaPath);
      return new PageCursor(handle!, start, end, decoder, modules, meta.path_in_schema.join('.'), flat);
    });
  };

  /** The next `count` values of a top-level column. */
  const take = (top: TopColumn, cursors: PageCursor[], count: number): DecodedArray => {
    if (cursors.length === 1 && !top.node.children.length) return cursors[0]!.take(count);
    const parts = new Map<string, DecodedArray>();
    for (const cursor of cursors) parts.set(cursor.name, cursor.take(count));
    modules.assemble.assembleNested(parts, top.node, parsers);
    const values = parts.get(top.name);
    if (!values) throw new FileError(`column "${top.name}" could not be assembled`, null, top.name);
    return values;
  };

  async function* batches(): AsyncGenerator<SourceRecord[]> {
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const groupRows = Number(group.num_rows);
      const cursors = tops.map((top) => cursorsOf(group, top));
      const perRow = groupRows ? Number(group.total_compressed_size ?? group.total_byte_size) / groupRows : 0;
      for (let sliceStart = 0; sliceStart < groupRows; sliceStart += SLICE_ROWS) {
        const count = Math.min(SLICE_ROWS, groupRows - sliceStart);
        const rowStart = groupStart + sliceStart;
        const data = tops.map((top, t) => take(top, cursors[t]!, count));
        const records: SourceRecord[] = new Array<SourceRecord>(count);
        for (let row = 0; row < count; row++) {
          const values = new Array<unknown>(width);
          let longest = 0;
          for (let t = 0; t < tops.length; t++) {
            const top = tops[t]!;
            let value = data[t]![row];
            if (top.restore) value = top.restore(value);
            if (top.leaves) {
              for (let leaf = 0; leaf < top.leaves.length; leaf++)
                values[top.first + leaf] = at(value, top.leaves[leaf]!);
            } else {
              values[top.first] = value;
              if (typeof value === 'string' && value.length > longest) longest = value.length;
            }
          }
          const record: SourceRecord = { values, position: rowStart + row + 1 };
          if (longest > limits.maxFieldBytes || anyStruct) {
            const error = tooLong(values, columns);
            if (error) record.error = error;
          }
          records[row] = record;
        }
        parquetReadStats.slices++;
        parquetReadStats.rowsDecoded += count;
        parquetReadStats.maxRowsHeld = Math.max(parquetReadStats.maxRowsHeld, count);
        bytes += Math.round(perRow * count);
        yield records;
      }
      groupStart += groupRows;
    }
  }

  async function* flat(source: AsyncIterable<SourceRecord[]>): AsyncGenerator<SourceRecord> {
    for await (const batch of source) yield* batch;
  }
  const recordBatches = batches();
  return {
    container: 'parquet',
    columns,
    bytesRead: () => bytes,
    totalBytes: file.byteLength,
    batches: recordBatches,
    records: flat(recordBatches),
    close: async () => {
      const open = handle;
      handle = null;
      await open?.close();
    },
  };
}

/**
 * hyparquet's parsers with timestamps as the text a mapper reads (what text() makes of a Date), not
 * Date objects: a CUR 2.0 file has four timestamp columns, and a Date per cell, then its ISO text per
 * cell, cost the scan about a quarter of its time in garbage collection and formatting. A column's
 * cells mostly repeat the cell above (the day, the billing period), so the last text is kept per parser.
 * A time outside what Date can show stays a Date, so that it fails where it did.
 */
function textTimestamps(parsers: ColumnDecoder['parsers']): ColumnDecoder['parsers'] {
  const fromMilliseconds = () => {
    let last = Number.NaN;
    let lastText = '';
    return (millis: number): string | Date => {
      if (millis === last) return lastText;
      const date = new Date(millis);
      if (Number.isNaN(date.getTime())) return date;
      last = millis;
      lastText = date.toISOString();
      return lastText;
    };
  };
  const millis = fromMilliseconds();
  const micros = fromMilliseconds();
  const nanos = fromMilliseconds();
  const days = fromMilliseconds();
  return {
    ...parsers,
    timestampFromMilliseconds: (value: bigint) => millis(Number(value)),
    timestampFromMicroseconds: (value: bigint) => micros(Number(value / 1000n)),
    timestampFromNanoseconds: (value: bigint) => nanos(Number(value / 1000000n)),
    dateFromDays: (value: number) => days(value * 86400000),
  } as ColumnDecoder['parsers'];
}

interface PendingPage {
  /** Definition levels, or null where every value is present. */
  definition: number[] | null;
  /** Repetition levels, empty for a column that does not repeat. */
  repetition: number[];
  values: DecodedArray;
  levels: number;
  levelAt: number;
  valueAt: number;
}

function joined(first: DecodedArray, second: DecodedArray): unknown[] {
  const values = Array.from(first as ArrayLike<unknown>);
  for (let i = 0; i < second.length; i++) values.push(second[i]);
  return values;
}

function at(value: unknown, path: readonly string[]): unknown {
  let current = value;
  for (const key of path) {
    if (current === null || current === undefined || typeof current !== 'object') return undefined;
    current = (current as Record<string, unknown>)[key];
  }
  return current;
}

/**
 * One column chunk, page by page: reads a window of the chunk's bytes at a time and decodes each page
 * once, handing out its values (rows, for a repeated column: lists) a slice at a time. A row of a
 * repeated column may go on in the next page, so its last row is complete only once the next page (or
 * the chunk's end) has been read.
 *
 * A nested column's page keeps its levels and values as decoded, and only the rows a slice takes are
 * assembled into lists. One page of a map column can hold every row of a row group (its keys repeat,
 * so they encode to almost nothing): assembling whole pages held a list per row and entry at once, a
 * million arrays on a 1 M-row CUR 2.0 file, which the scan's collector then copied and promoted.
 */
class PageCursor {
  private window = new Uint8Array(0);
  /** File offset of window[0]. */
  private windowStart: number;
  /** File offset of the next unread page header. */
  private position: number;
  private dictionary: DecodedArray | undefined;
  /** Decoded values not yet handed out start at `used`. */
  private values: DecodedArray = [];
  private used = 0;
  private ended = false;
  /** A nested column's decoded page, assembled into `values` a slice at a time. */
  private pending: PendingPage | null = null;
  /** The last row in `values` may go on in the next page (a repeated column read to its page's end). */
  private openRow = false;
  private readonly maxDefinition: number;

  constructor(
    private readonly handle: fs.promises.FileHandle,
    start: number,
    private readonly end: number,
    private readonly decoder: ColumnDecoder,
    private readonly modules: Modules,
    /** The physical column's dotted path. */
    readonly name: string,
    private readonly flat: boolean,
  ) {
    this.windowStart = start;
    this.position = start;
    this.maxDefinition = modules.schema.getMaxDefinitionLevel(decoder.schemaPath);
  }

  private available(): number {
    const left = this.values.length - this.used;
    return this.openRow ? left - 1 : left;
  }

  /** The next `count` values; a chunk that ends first is a damaged file. */
  take(count: number): DecodedArray {
    while (this.available() < count) {
      if (this.pending) {
        this.assemble(count - this.available());
        continue;
      }
      if (!this.nextPage()) {
        throw new FileError(`column "${this.name}" ends before its row group does: the file is damaged`, null);
      }
    }
    const values = this.values.slice(this.used, this.used + count);
    this.used += count;
    return values;
  }

  /** Decodes the next data page (reading a dictionary page first if one comes); false at the chunk's end. */
  private nextPage(): boolean {
    const at = this.position;
    try {
      return this.decodeNextPage();
    } catch (error) {
      if (error instanceof FileError) throw error;
      throw new FileError(
        `column "${this.name}" has a damaged page at byte ${at.toLocaleString('en-US')}: ${(error as Error).message}`,
        null,
      );
    }
  }

  private decodeNextPage(): boolean {
    const { parquetHeader, readPage } = this.modules.column;
    for (;;) {
      if (this.position >= this.end - 1) {
        const was = this.ended;
        this.ended = true;
        this.openRow = false;
        return !was && !this.flat;
      }
      const { header, headerBytes } = this.header(parquetHeader);
      const size = headerBytes + header.compressed_page_size;
      if (
        !Number.isSafeInteger(header.compressed_page_size) ||
        header.compressed_page_size < 0 ||
        this.position + size > this.end
      ) {
        throw new FileError(
          `column "${this.name}" has a damaged page header at byte ${this.position.toLocaleString('en-US')}`,
          null,
        );
      }
      this.ensure(size);
      const reader = { view: this.view(), offset: this.position - this.windowStart + headerBytes };
      this.position += size;
      if (header.type === 'DICTIONARY_PAGE') {
        const { data } = readPage(reader, header, this.decoder, undefined, undefined, 0);
        if (data) this.dictionary = this.modules.convert.convert(data, this.decoder);
        continue;
      }
      if (header.type !== 'DATA_PAGE' && header.type !== 'DATA_PAGE_V2') continue;
      if (!this.flat) {
        this.pending = this.decodeLevels(reader, header);
        parquetReadStats.pagesDecoded++;
        return true;
      }
      // What is left of the last page goes first.
      const left = this.used ? this.values.slice(this.used) : this.values;
      this.used = 0;
      const { data } = readPage(reader, header, this.decoder, this.dictionary, undefined, 0);
      parquetReadStats.pagesDecoded++;
      this.values = left.length ? joined(left, data ?? []) : (data ?? []);
      return true;
    }
  }

  /** A nested column's data page as levels and values (dictionary resolved), not yet assembled. */
  private decodeLevels(reader: { view: DataView; offset: number }, header: PageHeader): PendingPage {
    const { decompressPage, readDataPage, readDataPageV2 } = this.modules.datapage;
    const { codec, compressors } = this.decoder;
    const bytes = new Uint8Array(
      reader.view.buffer,
      reader.view.byteOffset + reader.offset,
      header.compressed_page_size,
    );
    let page: ReturnType<typeof readDataPage>;
    let encoding: NonNullable<PageHeader['data_page_header']>['encoding'];
    if (header.type === 'DATA_PAGE') {
      const daph = header.data_page_header;
      if (!daph) throw new Error('the data page has no header');
      page = readDataPage(decompressPage(bytes, header.uncompressed_page_size, codec, compressors), daph, this.decoder);
      encoding = daph.encoding;
    } else {
      const daph2 = header.data_page_header_v2;
      if (!daph2) throw new Error('the data page has no header');
      page = readDataPageV2(bytes, header, this.decoder);
      encoding = daph2.encoding;
    }
    const values = this.modules.convert.convertWithDictionary(page.dataPage, this.dictionary, encoding, this.decoder);
    const definition = page.definitionLevels?.length ? page.definitionLevels : null;
    const levels = page.repetitionLevels.length || definition?.length || values.length;
    return { definition, repetition: page.repetitionLevels, values, levels, levelAt: 0, valueAt: 0 };
  }

  /**
   * Assembles at least `rows` more rows of the pending page (fewer where it ends first), cutting where a
   * row starts so that every row assembled is whole, but the page's last.
   */
  private assemble(rows: number): void {
    const page = this.pending!;
    const { repetition, definition, levels } = page;
    const from = page.levelAt;
    let to = from;
    if (repetition.length) {
      for (let started = 0; to < levels; to++) {
        if (repetition[to] !== 0) continue;
        if (started >= rows) break;
        started++;
      }
    } else {
      to = Math.min(levels, from + rows);
    }
    let valueCount = to - from;
    if (definition) {
      valueCount = 0;
      for (let level = from; level < to; level++) if (definition[level] === this.maxDefinition) valueCount++;
    }
    const output = (this.used ? this.values.slice(this.used) : this.values) as unknown[];
    this.used = 0;
    const values = page.values.slice(page.valueAt, page.valueAt + valueCount);
    if (!repetition.length && !definition) {
      // Neither levels: every value is a row of its own, present (a required leaf of a struct).
      for (let i = 0; i < values.length; i++) output.push(values[i]);
    } else {
      this.modules.assemble.assembleLists(
        output,
        definition ? definition.slice(from, to) : undefined,
        repetition.slice(from, to),
        values,
        this.decoder.schemaPath,
      );
    }
    this.values = output;
    parquetReadStats.maxListsHeld = Math.max(parquetReadStats.maxListsHeld, output.length);
    page.levelAt = to;
    page.valueAt += valueCount;
    if (to >= levels) {
      this.pending = null;
      // Only a repeated column's row can go on in the next page.
      this.openRow = repetition.length > 0;
    } else {
      this.openRow = false;
    }
  }

  /** Parses the page header at `position`, reading more of the chunk when it is cut by the window's end. */
  private header(parse: HyparquetColumn['parquetHeader']): { header: PageHeader; headerBytes: number } {
    for (let want = 1 << 14; ; want *= 4) {
      this.ensure(Math.min(want, this.end - this.position));
      const reader = { view: this.view(), offset: this.position - this.windowStart };
      try {
        const header = parse(reader);
        const headerBytes = reader.offset - (this.position - this.windowStart);
        if (reader.offset <= this.window.length) return { header, headerBytes };
      } catch (error) {
        if (this.windowStart + this.window.length >= this.end) {
          throw new FileError(`column "${this.name}" has a damaged page header: ${(error as Error).message}`, null);
        }
      }
      if (this.windowStart + this.window.length >= this.end) {
        throw new FileError(`column "${this.name}" has a page header past the end of its data`, null);
      }
    }
  }

  private view(): DataView {
    return new DataView(this.window.buffer, this.window.byteOffset, this.window.byteLength);
  }

  /**
   * Makes the window hold `size` bytes from `position`. A fresh buffer each time: decoded pages may be
   * views of the bytes they came from (uncompressed numbers), so a window is never overwritten.
   */
  private ensure(size: number): void {
    const offset = this.position - this.windowStart;
    if (offset + size <= this.window.length) return;
    const length = Math.min(Math.max(size, WINDOW_BYTES), this.end - this.position);
    const window = Buffer.allocUnsafeSlow(length);
    const read = fs.readSync(this.handle.fd, window, 0, length, this.position);
    if (read < Math.min(size, length)) {
      throw new FileError(`column "${this.name}" is cut short: the file is damaged or truncated`, null);
    }
    this.window = window.subarray(0, read);
    this.windowStart = this.position;
  }
}
