/**
 * The CLI's exit statuses are one documented table that every command follows, and nothing a file
 * holds reaches the terminal as a control character.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT, EXIT_CODES, exitFor } from '../../electron/cli/exit-codes';
import { ErrorCodeSchema } from '../../shared/api/errors';
import { runCli } from '../support/cli';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { tempDir } from '../support/workspace';

// C0 controls other than the line breaks and tabs the CLI writes itself, DEL, C1 controls, bidi overrides.
// eslint-disable-next-line no-control-regex
const RAW_CONTROL = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/;

let dir: string;
let files: string;
beforeAll(() => {
  dir = path.join(tempDir('valdrix-exit-'), 'ws');
  files = tempDir('valdrix-exit-files-');
  expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
});
afterAll(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

describe('exit codes', () => {
  it('docs/cli.md prints exactly the table the CLI follows, and every error code has its row', () => {
    const docs = fs.readFileSync(path.join(__dirname, '../../docs/cli.md'), 'utf8');
    const section = docs.slice(docs.indexOf('**Exit codes**'), docs.indexOf('A workspace is a folder holding'));
    const rows = section
      .split('\n')
      .filter((line) => /^\| \d+ /.test(line))
      .map((line) => line.split('|').map((cell) => cell.trim()));
    expect(
      rows.map(([, exit, name, meaning, codes]) => ({
        exit: Number(exit),
        name,
        meaning,
        codes: codes ? codes.split(', ').map((code) => code.replace(/`/g, '')) : [],
      })),
    ).toEqual(EXIT_CODES.map((row) => ({ ...row, codes: [...row.codes] })));
    const listed = EXIT_CODES.flatMap((row) => [...row.codes]).sort();
    expect(listed).toEqual([...ErrorCodeSchema.options].sort());
    expect(exitFor('IMPORT_FORMAT')).toBe(3);
  });

  it('usage, bad input, not found and not-a-workspace each get their own status', () => {
    const bad: FocusRow[] = [
      { billed: '1', resource: 'a' },
      { billed: 'NaN', resource: 'b' },
    ];
    const { file } = writeFocusCsv(files, 'bad.csv', bad);
    const cases: [string, string[], number][] = [
      ['unknown option', ['import', file, '--frobnicate'], EXIT.usage],
      ['invalid choice', ['import', file, '--format', 'xlsx'], EXIT.usage],
      ['bad setting value', ['settings', 'set', 'import.maxRecordBytes', 'lots'], EXIT.usage],
      ['a bad row', ['import', file], EXIT['bad input']],
      ['no such file', ['import', path.join(files, 'missing.csv')], EXIT['not found']],
      ['no such job', ['jobs', 'show', '01ARZ3NDEKTSV4RRFFQ69G5FAV'], EXIT['not found']],
    ];
    for (const [name, args, exit] of cases) {
      const run = runCli(['--workspace', dir, ...args]);
      expect(run.status, `${name}: ${run.stderr}`).toBe(exit);
    }
    const notWorkspace = runCli(['--workspace', path.join(files, 'nothing'), 'costs']);
    expect(notWorkspace.status).toBe(EXIT.workspace);
  });

  it('the size limits are settings the import follows', () => {
    // The field limit may not exceed the record limit: lower it first.
    expect(runCli(['--workspace', dir, 'settings', 'set', 'import.maxRecordBytes', '2048']).status).toBe(EXIT.usage);
    expect(runCli(['--workspace', dir, 'settings', 'set', 'import.maxFieldBytes', '1024']).status).toBe(0);
    expect(runCli(['--workspace', dir, 'settings', 'set', 'import.maxRecordBytes', '2048']).status).toBe(0);
    const shown = runCli(['--workspace', dir, 'settings', '--json']);
    expect(JSON.parse(shown.stdout)).toMatchObject({ importLimits: { maxRecordBytes: 2048, maxFieldBytes: 1024 } });
    const { file } = writeFocusCsv(files, 'wide.csv', [{ billed: '1', description: 'w'.repeat(1500) }]);
    const run = runCli(['--workspace', dir, 'import', file]);
    expect(run.status).toBe(EXIT['bad input']);
    expect(run.stderr).toMatch(/more than 1 KiB \(the limit, setting import\.maxFieldBytes\)/);
    expect(runCli(['--workspace', dir, 'settings', 'set', 'import.maxRecordBytes', '100']).status).toBe(EXIT.usage);
    runCli(['--workspace', dir, 'settings', 'set', 'import.maxFieldBytes', '1048576']);
    runCli(['--workspace', dir, 'settings', 'set', 'import.maxRecordBytes', '8388608']);
  });
});

describe('terminal safety', () => {
  it('a header with escape sequences is printed escaped, never raw', () => {
    const file = path.join(files, 'hostile.csv');
    fs.writeFileSync(file, '\u001b]0;owned\u0007\u001b[2J\u001b[31mRED,x\n1,2\n');
    const run = runCli(['--workspace', dir, 'import', file]);
    expect(run.status).toBe(EXIT['bad input']);
    expect(run.stderr).not.toMatch(RAW_CONTROL);
    expect(run.stderr).toContain('\\x1b]0;owned\\x07');
    const json = runCli(['--workspace', dir, 'import', file, '--json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    expect((JSON.parse(json.stdout) as { error: { message: string } }).error.message).toContain('owned');
  });

  it('service names with control and bidi characters stay inert in tables and JSON, and read back equal', () => {
    const service = 'Evil\u001b[2J\u009b31m\u202eTXT\nfake line';
    const { file } = writeFocusCsv(files, 'names.csv', [{ billed: '2.5', service, resource: 'r' }]);
    expect(runCli(['--workspace', dir, 'import', file, '--source', 'names']).status).toBe(0);
    const human = runCli(['--workspace', dir, 'costs', '--by', 'service']);
    expect(human.status).toBe(0);
    expect(human.stdout).not.toMatch(RAW_CONTROL);
    expect(human.stdout).toContain('Evil\\x1b[2J\\x9b31m\\u202eTXT\\nfake line');
    expect(human.stdout.split('\n').some((line) => line.startsWith('fake line'))).toBe(false);
    const json = runCli(['--workspace', dir, 'costs', '--by', 'service', '--json']);
    expect(json.stdout).not.toMatch(RAW_CONTROL);
    const rows = (JSON.parse(json.stdout) as { rows: { service: string }[] }).rows;
    expect(rows.map((row) => row.service)).toContain(service);
  });
});
