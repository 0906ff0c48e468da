import { describe, expect, it } from 'vitest';
import { CsvTokenizer, type CsvQuoteError } from '../../../electron/core/ingest/csv-tokenizer';
import { seededRandom } from '../../../electron/core/demo/generator';

interface Read {
  rows: string[][];
  lines: number[];
  error: CsvQuoteError | null;
}

/** Pushes the pieces in order then calls end(), as openCsv does; stops at the first error. */
function tokenize(pieces: string | string[], delimiter = ','): Read {
  const tokenizer = new CsvTokenizer(delimiter);
  const all: Read = { rows: [], lines: [], error: null };
  const list = typeof pieces === 'string' ? [pieces] : pieces;
  for (let index = 0; index <= list.length; index++) {
    const { rows, lines, error } = index < list.length ? tokenizer.push(list[index]!) : tokenizer.end();
    all.rows.push(...rows);
    all.lines.push(...lines);
    if (error) return { ...all, error };
  }
  return all;
}

describe('CsvTokenizer records', () => {
  it('reads simple records with the 1-based line each starts on', () => {
    expect(tokenize('a,b,c\n1,2,3\n')).toEqual({
      rows: [
        ['a', 'b', 'c'],
        ['1', '2', '3'],
      ],
      lines: [1, 2],
      error: null,
    });
  });

  it('counts the newlines inside quoted fields toward the following records’ lines', () => {
    const read = tokenize('h\n"x\ny\nz",1\nnext\n"p\n"\nlast\n');
    expect(read.rows).toEqual([['h'], ['x\ny\nz', '1'], ['next'], ['p\n'], ['last']]);
    expect(read.lines).toEqual([1, 2, 5, 6, 8]);
  });

  it('unquotes fields holding the delimiter, newlines and doubled quotes', () => {
    expect(tokenize('"a,b","l1\nl2","say ""hi""","","""","""""",x\n').rows).toEqual([
      ['a,b', 'l1\nl2', 'say "hi"', '', '"', '""', 'x'],
    ]);
  });

  it('drops a "\\r" before the newline from the last field, quoted or not, and keeps one inside a field', () => {
    expect(tokenize('a,b\r\n"c","d"\r\n"e\r"\r\n').rows).toEqual([['a', 'b'], ['c', 'd'], ['e\r']]);
    expect(tokenize('a\rb,"c\rd",e\r,f\n').rows).toEqual([['a\rb', 'c\rd', 'e\r', 'f']]);
  });

  it('ignores spaces, tabs and "\\r" between a closing quote and the delimiter or newline', () => {
    expect(tokenize('"a" ,"b"\t\r\n"c"  \n"d" \r ,e\n').rows).toEqual([['a', 'b'], ['c'], ['d', 'e']]);
  });

  it('takes a tab after a closing quote as the delimiter when the delimiter is a tab', () => {
    // Were the tab skipped as whitespace, 'b' would follow the quote and break the record.
    expect(tokenize('"a"\tb\n"c" \t\t"d"\t\n', '\t').rows).toEqual([
      ['a', 'b'],
      ['c', '', 'd', ''],
    ]);
  });

  it('keeps a quote that does not open a field as text', () => {
    expect(tokenize('5" disk,ab"c,x""y, "q"\n').rows).toEqual([['5" disk', 'ab"c', 'x""y', ' "q"']]);
  });

  it('reads a blank line as one empty field', () => {
    expect(tokenize('a\n\nb\r\n\r\nc\n')).toEqual({
      rows: [['a'], [''], ['b'], [''], ['c']],
      lines: [1, 2, 3, 4, 5],
      error: null,
    });
  });

  it('gives a trailing delimiter a trailing empty field, with or without a final newline', () => {
    expect(tokenize('a,\n"b",\n').rows).toEqual([
      ['a', ''],
      ['b', ''],
    ]);
    expect(tokenize('a,').rows).toEqual([['a', '']]);
    expect(tokenize('"b",').rows).toEqual([['b', '']]);
    expect(tokenize(['"b"', ',']).rows).toEqual([['b', '']]);
    expect(tokenize('"b" ,\r\n').rows).toEqual([['b', '']]);
  });

  it('returns the last record from end() when the text has no final newline', () => {
    const tokenizer = new CsvTokenizer(',');
    expect(tokenizer.push('a,b\nc,"d')).toEqual({ rows: [['a', 'b']], lines: [1], error: null });
    expect(tokenizer.push('"')).toEqual({ rows: [], lines: [], error: null });
    expect(tokenizer.end()).toEqual({ rows: [['c', 'd']], lines: [2], error: null });
    expect(tokenizer.end()).toEqual({ rows: [], lines: [], error: null });
  });

  it('splits on a semicolon or a tab, leaving commas as text', () => {
    expect(tokenize('a;"b;c";d,e\n', ';').rows).toEqual([['a', 'b;c', 'd,e']]);
    expect(tokenize('a\tb,c\t"d\te"\n', '\t').rows).toEqual([['a', 'b,c', 'd\te']]);
  });

  it('refuses a delimiter that is not one character', () => {
    expect(() => new CsvTokenizer(';;')).toThrow(/one character/);
    expect(() => new CsvTokenizer('')).toThrow(/one character/);
  });
});

describe('CsvTokenizer errors and pending text', () => {
  it('stops at text after a closing quote, naming the line the record starts on', () => {
    const tokenizer = new CsvTokenizer(',');
    const read = tokenizer.push('h\n"x\ny"\nok,"b"x,c\nd\n');
    expect(read.rows).toEqual([['h'], ['x\ny']]);
    expect(read.lines).toEqual([1, 2]);
    expect(read.error?.message).toBe('Trailing quote on quoted field is malformed');
    expect(read.error?.line).toBe(4);
    // Nothing after the error can be trusted to line up, so nothing more is read.
    expect(tokenizer.push('e,f\n')).toEqual({ rows: [], lines: [], error: null });
    expect(tokenizer.end()).toEqual({ rows: [], lines: [], error: null });
  });

  it('reports a quote still open at end() as unterminated', () => {
    const tokenizer = new CsvTokenizer(',');
    expect(tokenizer.push('a\n"b,c\nd').rows).toEqual([['a']]);
    const read = tokenizer.end();
    expect(read.rows).toEqual([]);
    expect(read.error?.message).toBe('Quoted field unterminated');
    expect(read.error?.line).toBe(2);
  });

  it('reports the size and start line of the record still open', () => {
    const tokenizer = new CsvTokenizer(',');
    tokenizer.push('a,b\nc,d');
    expect([tokenizer.pending, tokenizer.pendingLine]).toEqual([3, 2]);
    expect(tokenizer.push('\n"x\ny').rows).toEqual([['c', 'd']]);
    expect([tokenizer.pending, tokenizer.pendingLine]).toEqual([4, 3]);
    expect(tokenizer.push('"\n')).toEqual({ rows: [['x\ny']], lines: [3], error: null });
    expect([tokenizer.pending, tokenizer.pendingLine]).toEqual([0, 5]);
  });
});

const FIELD_PIECES = ['a', 'Zz9', ',', ';', '\t', '"', '""', '\n', '\r\n', '\r', ' ', '', 'é', '日本', '5" disk'];

/** The field as an exporter writes it; a "\r" is always quoted, since an unquoted one before the newline is dropped. */
function quoteField(field: string, delimiter: string): string {
  const quoted = field.includes(delimiter) || /["\n\r]/.test(field) || field.startsWith(' ');
  return quoted ? `"${field.replaceAll('"', '""')}"` : field;
}

interface Document {
  text: string;
  records: string[][];
  lines: number[];
}

function randomDocument(random: () => number, delimiter: string): Document {
  const below = (n: number) => Math.floor(random() * n);
  const records = Array.from({ length: 1 + below(30) }, () =>
    Array.from({ length: 1 + below(8) }, () =>
      Array.from({ length: below(4) }, () => FIELD_PIECES[below(FIELD_PIECES.length)]).join(''),
    ),
  );
  // A lone empty last field is only a record when a newline ends it.
  const finalNewline = random() < 0.5 || (records.at(-1)!.length === 1 && records.at(-1)![0] === '');
  let text = '';
  let line = 1;
  const lines: number[] = [];
  records.forEach((record, index) => {
    const serialized = record.map((field) => quoteField(field, delimiter)).join(delimiter);
    lines.push(line);
    line += serialized.split('\n').length;
    text += serialized;
    if (index < records.length - 1 || finalNewline) text += random() < 0.5 ? '\n' : '\r\n';
  });
  return { text, records, lines };
}

/** The text cut into consecutive pieces of 1..64 characters. */
function randomPieces(random: () => number, text: string): string[] {
  const pieces: string[] = [];
  for (let at = 0; at < text.length;) {
    const size = 1 + Math.floor(random() * 64);
    pieces.push(text.slice(at, at + size));
    at += size;
  }
  return pieces;
}

describe('CsvTokenizer round trip', () => {
  it('gives back random records and their lines however the text is cut', () => {
    let recordCount = 0;
    for (let seed = 1; seed <= 40; seed++) {
      const random = seededRandom(seed);
      const delimiter = [',', ';', '\t'][seed % 3]!;
      const document = randomDocument(random, delimiter);
      recordCount += document.records.length;
      const expected = { rows: document.records, lines: document.lines, error: null };
      expect(tokenize(document.text, delimiter), `seed ${seed}, whole`).toEqual(expected);
      for (let cut = 0; cut < 5; cut++) {
        const pieces = randomPieces(random, document.text);
        expect(tokenize(pieces, delimiter), `seed ${seed}, pieces ${JSON.stringify(pieces)}`).toEqual(expected);
      }
    }
    expect(recordCount).toBeGreaterThan(300);
  });

  it('reads a record cut between pieces inside a quoted field of many line breaks, and the records after it', () => {
    const long = Array.from({ length: 30 }, (_, i) => `part ${i}`).join('\n');
    const text = `a,b\n1,"${long}"\n2,"x"\n3,y\n`;
    const expected = {
      rows: [
        ['a', 'b'],
        ['1', long],
        ['2', 'x'],
        ['3', 'y'],
      ],
      lines: [1, 2, 32, 33],
      error: null,
    };
    for (const size of [3, 7, 40, 100]) {
      const pieces = Array.from({ length: Math.ceil(text.length / size) }, (_, i) =>
        text.slice(i * size, (i + 1) * size),
      );
      expect(tokenize(pieces)).toEqual(expected);
    }
  });

  it('reads a short text the same at every pair of cut points', () => {
    const text = 'a,"b,""c""\r\nd"\r\n"",x \r\n\n"é"  ,日本,\r\n"""",last,"q"';
    const expected = {
      rows: [['a', 'b,"c"\r\nd'], ['', 'x '], [''], ['é', '日本', ''], ['"', 'last', 'q']],
      lines: [1, 3, 4, 5, 6],
      error: null,
    };
    for (let first = 0; first <= text.length; first++) {
      for (let second = first; second <= text.length; second++) {
        const pieces = [text.slice(0, first), text.slice(first, second), text.slice(second)];
        expect(tokenize(pieces), JSON.stringify(pieces)).toEqual(expected);
      }
    }
  });
});
