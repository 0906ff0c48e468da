/**
 * Costs in two currencies are totalled per currency and never added together: in the service's answer,
 * the `valdrix costs` JSON and its text. Each total is checked against the independent decimal adder.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { silentLogger } from '../../electron/core/log/logger';
import { openWorkspace } from '../../electron/core/workspace/workspace';
import { runCli } from '../support/cli';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { INGEST_AS_OF } from '../support/ingest-store';
import { testServices } from '../support/services';
import { tempDir } from '../support/workspace';

const usd: FocusRow[] = [
  { service: 'Amazon EC2', resource: 'i-1', billed: '200.000000000000000000000001', effective: '150.25' },
  { service: 'Amazon S3', resource: 'b-1', billed: '0.5', effective: '0.4' },
];
const eur: FocusRow[] = [
  { account: 'acct-eu', service: 'Amazon EC2', resource: 'i-9', billed: '107.5', effective: '99.999999999' },
  { account: 'acct-eu', service: 'Amazon RDS', resource: 'db-1', billed: '-0.000000001', currency: 'EUR' },
].map((row) => ({ ...row, currency: 'EUR' }));

const expected = [
  {
    currency: 'EUR',
    billed: decimalSum(eur.map((r) => r.billed)),
    effective: decimalSum(eur.map((r) => r.effective ?? r.billed)),
  },
  {
    currency: 'USD',
    billed: decimalSum(usd.map((r) => r.billed)),
    effective: decimalSum(usd.map((r) => r.effective ?? r.billed)),
  },
];

let files: string;
let dir: string;
const cli = (args: string[]) => runCli(['--workspace', dir, ...args], { VALDRIX_NOW: INGEST_AS_OF });

beforeAll(() => {
  files = tempDir('valdrix-currencies-');
  dir = path.join(files, 'ws');
  expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
  for (const [name, rows] of [
    ['usd.csv', usd],
    ['eur.csv', eur],
  ] as const) {
    const { file } = writeFocusCsv(files, name, rows);
    const run = cli(['import', file, '--source', name]);
    expect(run.status, run.stderr).toBe(0);
  }
});
afterAll(() => fs.rmSync(files, { recursive: true, force: true }));

describe('totals per currency', () => {
  it('the expected sums are different in each currency (the test would see an addition across them)', () => {
    expect(expected.map((t) => t.billed)).toEqual(['107.499999999', '200.500000000000000000000001']);
  });

  it('the service answer carries one total per currency and none across them', () => {
    const workspace = openWorkspace(dir, { clock: fixedClock(parseAsOf(INGEST_AS_OF)), logger: silentLogger() });
    try {
      const services = testServices(workspace);
      for (const by of [[], ['service'], ['resource']] as const) {
        const answer = services.costs.query({ by: [...by] });
        expect(answer.totals, by.join(',')).toEqual(expected);
        expect(answer).not.toHaveProperty('total');
      }
    } finally {
      workspace.close();
    }
  });

  it('valdrix costs --json: the same totals per currency', () => {
    const run = cli(['costs', '--by', 'service', '--json']);
    expect(run.status, run.stderr).toBe(0);
    const answer = JSON.parse(run.stdout) as Record<string, unknown>;
    expect(answer.totals).toEqual(expected);
    expect(Object.keys(answer).sort()).toEqual(['finality', 'rows', 'totals']);
  });

  it('valdrix import: the summary of a run holding both currencies prints one line per currency', () => {
    const other = tempDir('valdrix-currencies-import-');
    try {
      const ws = path.join(other, 'ws');
      expect(runCli(['--workspace', ws, 'init']).status).toBe(0);
      const { file } = writeFocusCsv(other, 'both.csv', [...usd, ...eur]);
      const run = runCli(['--workspace', ws, 'import', file], { VALDRIX_NOW: INGEST_AS_OF });
      expect(run.status, run.stderr).toBe(0);
      const money = run.stdout.split('\n').filter((line) => /billed/.test(line));
      expect(money).toEqual(expected.map((t) => `  ${t.currency}: billed ${t.billed}, effective ${t.effective}`));
    } finally {
      fs.rmSync(other, { recursive: true, force: true });
    }
  });

  it('valdrix costs: one Total line per currency, never a sum across them', () => {
    for (const args of [[], ['--by', 'service']]) {
      const run = cli(['costs', ...args]);
      expect(run.status, run.stderr).toBe(0);
      const totalLines = run.stdout.split('\n').filter((line) => line.startsWith('Total'));
      expect(totalLines).toEqual(
        expected.map((t) => `Total ${t.currency}: billed ${t.billed}, effective ${t.effective}`),
      );
      expect(run.stdout).not.toMatch(/mixed/);
    }
  });
});
