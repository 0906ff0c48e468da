// Issue 14, item 11: `audit check`, export and verify stream the trail, so their memory stays bounded
// whatever the events hold, events of tens of MB written before the size cap included.
import { exportWorkspaceAudit } from '../support/audit';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { manifestPath } from '../../electron/core/audit/export';
import { LineHash } from '../../electron/core/audit/line-hash';
import { verifyAuditExport } from '../../electron/core/audit/verify';
import { silentLogger } from '../../electron/core/log/logger';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { openWorkspace } from '../../electron/core/workspace/workspace';
import { insertLegacyEvent, legacyMessage, measureCli } from '../bench/audit';
import { DEMO_AS_OF, tempDir } from '../support/workspace';

const clock = fixedClock(parseAsOf(DEMO_AS_OF));
/** Two events of this size, as a version without the cap could write them. */
const LEGACY_BYTES = 24_000_000;
/**
 * Peak RSS above the CLI's own start that check, export and verify may reach on that trail (values of
 * 30 MB as stored): each value is read as bytes, at most twice over while the previous one awaits the
 * collector (90–110 MiB). Parsed and re-serialised, they cost 640–660 MiB.
 */
const BOUND_MIB = 160;

describe('audit check, export and verify in bounded memory', () => {
  let dir = '';
  let out = '';
  beforeAll(() => {
    dir = tempDir();
    out = tempDir();
    const ws = openWorkspace(dir, { clock, create: true, logger: silentLogger() });
    try {
      for (let k = 0; k < 2; k++) {
        for (let i = 0; i < 300; i++) ws.audit.record({ action: 'test.event', entityType: 'thing', details: { i } });
        insertLegacyEvent(ws, { message: legacyMessage(LEGACY_BYTES), file: `f${k}.csv` });
      }
      for (let i = 0; i < 50; i++) ws.audit.record({ action: 'test.event', entityType: 'thing', details: { i } });
    } finally {
      ws.close();
    }
  });
  // About 250 MB of files: not left behind.
  const scratch: string[] = [];
  afterAll(() => {
    for (const folder of [dir, out, ...scratch]) fs.rmSync(folder, { recursive: true, force: true });
  });

  it('check, export and verify each stay within a bound above the CLI start', { timeout: 240_000 }, () => {
    const empty = tempDir();
    scratch.push(empty);
    openWorkspace(empty, { clock, create: true, logger: silentLogger() }).close();
    const start = measureCli(['--workspace', empty, 'audit', 'check']).peakRssMiB;
    const jsonl = path.join(out, 'audit.jsonl');
    const runs: [string, string[]][] = [
      ['check', ['--workspace', dir, 'audit', 'check']],
      ['export jsonl', ['--workspace', dir, 'audit', 'export', '--out', jsonl]],
      ['export csv', ['--workspace', dir, 'audit', 'export', '--format', 'csv', '--out', path.join(out, 'audit.csv')]],
      ['verify jsonl', ['audit', 'verify', jsonl]],
    ];
    const peaks: Record<string, number> = {};
    for (const [name, args] of runs) {
      const run = measureCli(args);
      expect(run.status, `${name}: ${run.stdout}${run.stderr}`).toBe(0);
      peaks[name] = run.peakRssMiB - start;
    }
    for (const [name, peak] of Object.entries(peaks))
      expect(peak, `${name} (MiB over the CLI start)`).toBeLessThan(BOUND_MIB);
  });

  it('verifies lines of tens of MB as they stream by, and names an altered one', async () => {
    const jsonl = path.join(out, 'audit.jsonl');
    const report = await verifyAuditExport(jsonl);
    expect(report.problems).toEqual([]);
    // 654 events written, and the check of the test above, which records itself.
    expect(report.count).toBe(655);

    // One byte changed inside the second large event (line 604), the manifest left as it was.
    const copy = tempDir();
    scratch.push(copy);
    const altered = path.join(copy, 'audit.jsonl');
    const bytes = fs.readFileSync(jsonl);
    const lines = bytes.toString('latin1').split('\n');
    const start = lines.slice(0, 603).reduce((n, line) => n + line.length + 1, 0);
    bytes[start + 1000] = bytes[start + 1000] === 0x61 ? 0x62 : 0x61;
    fs.writeFileSync(altered, bytes);
    fs.copyFileSync(manifestPath(jsonl), manifestPath(altered));
    const bad = await verifyAuditExport(altered);
    expect(bad.ok).toBe(false);
    expect(bad.firstBadRecord).toMatchObject({ line: 604, seq: 604 });
    expect(bad.firstBadRecord!.message).toBe(
      'line 604, event 604 (import.failed): its hash does not match its content (the event was altered)',
    );
  });

  it('refuses a CSV record over the line limit, naming its line, and still checks the file hash', async () => {
    const report = await verifyAuditExport(path.join(out, 'audit.csv'));
    expect(report.ok).toBe(false);
    expect(report.firstBadRecord?.line).toBe(304);
    expect(report.firstBadRecord?.message).toMatch(
      /^line 304: a record over 8 MiB cannot be checked in a CSV export; the events after it were not checked/,
    );
    expect(report.problems.some((p) => /SHA-256/.test(p.message))).toBe(false);
  });
});

describe('JSONL lines checked without parsing them', () => {
  // Every line through the streaming check alone (no line is kept to be parsed): it finds what parsing did.
  const streamed = { lineMaxBytes: 0 };

  async function exported(): Promise<string> {
    const ws = openWorkspace(tempDir(), { clock, create: true, logger: silentLogger() });
    try {
      for (let i = 0; i < 6; i++)
        ws.audit.record({
          action: 'test.event',
          entityType: 'thing',
          entityId: `t${i}`,
          details: { i, note: 'x,"q"\n' },
        });
      const out = path.join(tempDir(), 'audit.jsonl');
      const secrets = keychainSecretStore('Valdrix-tests');
      await exportWorkspaceAudit(ws, {
        secrets,
        out,
      });
      return out;
    } finally {
      ws.close();
    }
  }

  function changed(file: string, mutate: (lines: string[]) => string[]): string {
    const target = path.join(tempDir(), 'audit.jsonl');
    fs.writeFileSync(target, mutate(fs.readFileSync(file, 'utf8').split('\n')).join('\n'));
    fs.copyFileSync(manifestPath(file), manifestPath(target));
    return target;
  }

  it('hashes a line the same however it is split into chunks', async () => {
    const lines = fs
      .readFileSync(await exported(), 'utf8')
      .trimEnd()
      .split('\n');
    for (const text of lines) {
      const line = Buffer.from(text);
      const record = JSON.parse(text) as { seq: number; action: string; prevHash: string; hash: string };
      for (const size of [1, 2, 3, 7, 64, line.length]) {
        const scanner = new LineHash(record.prevHash);
        for (let at = 0; at < line.length; at += size) scanner.write(line.subarray(at, at + size));
        expect(scanner.finish(), `seq ${record.seq} in chunks of ${size}`).toEqual({
          seq: record.seq,
          action: record.action,
          prevHash: record.prevHash,
          hash: record.hash,
          contentHash: record.hash,
        });
      }
    }
  });

  it('an intact export verifies', async () => {
    expect(await verifyAuditExport(await exported(), streamed)).toMatchObject({ ok: true, count: 8, problems: [] });
  });

  it('names an altered event, a deleted line and swapped lines', async () => {
    const file = await exported();
    const altered = await verifyAuditExport(
      changed(file, (lines) => lines.map((l, i) => (i === 4 ? l.replace('"i":2', '"i":9') : l))),
      streamed,
    );
    expect(altered.firstBadRecord?.message).toBe(
      'line 5, event 5 (test.event): its hash does not match its content (the event was altered)',
    );
    const deleted = await verifyAuditExport(
      changed(file, (lines) => lines.filter((_, i) => i !== 3)),
      streamed,
    );
    expect(deleted.firstBadRecord?.message).toMatch(
      /^line 4, event 5 \(test\.event\): sequence 5 where 4 was expected/,
    );
    expect(deleted.problems.map((p) => p.message)).not.toContainEqual(
      expect.stringMatching(/does not match its content/),
    );
    const swapped = await verifyAuditExport(
      changed(file, (lines) => {
        [lines[2], lines[3]] = [lines[3]!, lines[2]!];
        return lines;
      }),
      streamed,
    );
    expect(swapped.firstBadRecord?.message).toMatch(/^line 3, event 4 .*sequence 4 where 3 was expected/);
    expect(swapped.problems.map((p) => p.message)).not.toContainEqual(
      expect.stringMatching(/does not match its content/),
    );
  });

  it('reports a line that is not an event', async () => {
    const file = await exported();
    const report = await verifyAuditExport(
      changed(file, (lines) => lines.map((l, i) => (i === 2 ? '[1,2]' : i === 3 ? l.slice(0, 40) : l))),
      streamed,
    );
    expect(report.problems.map((p) => p.message).slice(0, 3)).toEqual([
      expect.stringMatching(/SHA-256/),
      'line 3: not JSON: the line does not hold a JSON object',
      'line 4: not JSON: the line ends inside the event',
    ]);
  });
});
