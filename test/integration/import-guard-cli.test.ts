/**
 * The replacement guard on the command line: a held import exits 10 with what it would remove and how
 * to decide; `import accept RUN` publishes it, `import discard RUN` drops it; `--confirm-replace`
 * publishes at once; `settings set import.replaceGuardPct` changes the share (audited).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../electron/cli/exit-codes';
import { runCli } from '../support/cli';
import { soleTotal } from '../support/costs';
import { decimalSum } from '../support/decimal';
import { writeFocusCsv, type FocusRow } from '../support/ingest-fixtures';
import { tempDir } from '../support/workspace';

let dir: string;
let files: string;
beforeAll(() => {
  dir = path.join(tempDir('valdrix-guard-cli-'), 'ws');
  files = tempDir('valdrix-guard-cli-files-');
  expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
});
afterAll(() => {
  fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  fs.rmSync(files, { recursive: true, force: true });
});

const cli = (args: string[]) => runCli(['--workspace', dir, ...args]);

const full: FocusRow[] = ['2024-07-01', '2024-07-02', '2024-07-03'].flatMap((day) =>
  [0, 1, 2, 3].map((r) => ({ day, resource: `i-${r}`, billed: `${r + 1}0.05` })),
);
const total = (rows: FocusRow[]) => decimalSum(rows.map((row) => row.billed));
const billedTotal = () =>
  soleTotal(JSON.parse(cli(['costs', '--json']).stdout) as { totals: { currency: string; billed: string }[] }).billed;

describe('valdrix import and held imports', () => {
  it('holds a partial import (exit 10), then accepts it; discards another; --confirm-replace publishes at once', () => {
    expect(cli(['import', writeFocusCsv(files, 'full.csv', full).file, '--quiet']).status).toBe(0);
    const partial = writeFocusCsv(files, 'partial.csv', full.slice(0, 3)).file;

    const held = cli(['import', partial, '--quiet']);
    expect(held.status).toBe(EXIT.held);
    const runId = /valdrix import accept (\w{26})/.exec(held.stdout)?.[1];
    expect(runId).toBeDefined();
    expect(held.stdout).toContain('published nothing');
    expect(held.stdout).toContain('acct-1 2024-07: 9 of its 12 lines would be removed (75 %, more than 10 %)');
    expect(held.stdout).toContain(`billed ${total(full)} → ${total(full.slice(0, 3))} USD`);
    expect(billedTotal()).toBe(total(full));

    const asJson = cli(['import', partial, '--json']);
    expect(asJson.status).toBe(EXIT.held);
    const second = JSON.parse(asJson.stdout) as { runId: string; status: string; held: { reasons: unknown[] } };
    expect(second.status).toBe('held');
    // The newer held import replaced the first: only it can be accepted now.
    expect(cli(['import', 'accept', runId!]).status).toBe(EXIT.busy);

    const accepted = cli(['import', 'accept', second.runId]);
    expect(accepted.status).toBe(0);
    expect(accepted.stdout).toContain(`Published held import ${second.runId}`);
    expect(billedTotal()).toBe(total(full.slice(0, 3)));

    expect(cli(['import', writeFocusCsv(files, 'full-2.csv', full).file, '--quiet']).status).toBe(0);
    const third = JSON.parse(cli(['import', partial, '--json']).stdout) as { runId: string };
    const discarded = cli(['import', 'discard', third.runId]);
    expect(discarded.status).toBe(0);
    expect(discarded.stdout).toContain('nothing was published');
    expect(billedTotal()).toBe(total(full));

    expect(cli(['import', partial, '--confirm-replace', '--quiet']).status).toBe(0);
    expect(billedTotal()).toBe(total(full.slice(0, 3)));

    const events = JSON.parse(cli(['audit', 'list', '--json', '--limit', '100']).stdout) as {
      events: { action: string }[];
    };
    const actions = events.events.map((e) => e.action);
    expect(actions.filter((a) => a === 'costs.import_held')).toHaveLength(3);
    expect(actions.filter((a) => a === 'costs.import_accepted')).toHaveLength(1);
    // The one discarded by the user and the one the newer held import replaced.
    expect(actions.filter((a) => a === 'costs.import_discarded')).toHaveLength(2);
    // Each command starts a process (about a second alone, several on a busy machine).
  }, 300_000);

  it('import accept needs one run id; settings set import.replaceGuardPct is checked and audited', () => {
    const usage = cli(['import', 'accept']);
    expect(usage.status).toBe(EXIT.usage);
    expect(usage.stderr).toMatch(/expected one run id/);
    expect(cli(['import', 'accept', '01J00000000000000000000000']).status).toBe(EXIT['not found']);

    expect(cli(['settings', 'set', 'import.replaceGuardPct', '101']).status).toBe(EXIT.usage);
    const set = cli(['settings', 'set', 'import.replaceGuardPct', '25', '--json']);
    expect(set.status).toBe(0);
    expect(JSON.parse(set.stdout)).toMatchObject({ importAlerts: { replaceGuardPct: '25' } });
    expect(cli(['settings']).stdout).toContain('import.replaceGuardPct    25');
  }, 120_000);
});
