// Audit benchmarks: the append rate, then `valdrix audit check`, export (JSONL and CSV), verify and list
// on a 50,000-event trail where one event in ten holds an excerpt just under the size cap (64 KiB), each
// run as the real CLI in a child process so that its time and peak RSS are its own. BENCH_AUDIT_LEGACY=1
// adds the same on a trail holding two 200 MB events written before the cap (BENCH_AUDIT_LEGACY_MB sets
// their size).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { computeHash } from '../../electron/core/audit/audit-log';
import { AUDIT_VALUES_MAX_BYTES } from '../../electron/core/audit/cap';
import { silentLogger } from '../../electron/core/log/logger';
import { openWorkspace, type Workspace } from '../../electron/core/workspace/workspace';
import { canonicalJson, type AuditRecord } from '../../shared/audit';
import { CLI, REPO_ROOT } from '../support/cli';
import { tempDir } from '../support/workspace';

/** Check, export and verify must stay under this peak RSS (the CLI's own start costs about half). */
export const AUDIT_MEMORY_TARGET_MIB = 256;

const clock = fixedClock(parseAsOf('2026-11-21'));
/** Text as file content quotes it: commas, quotes, a tab, non-ASCII, a line break. */
const EXCERPT_LINE = 'line 1,"quoted" café ✓ \t tab\n';

/**
 * Appends an event as a version without the size cap wrote it: straight into the table, with a valid
 * hash (the trail is append-only, so such events stay forever).
 */
export function insertLegacyEvent(ws: Workspace, details: unknown, action = 'import.failed'): void {
  const head = ws.audit.head()!;
  const unhashed: Omit<AuditRecord, 'hash'> = {
    seq: head.seq + 1,
    ts: new Date().toISOString(),
    actor: { os: 'legacy', user: null },
    action,
    entityType: 'import_run',
    entityId: `run-${head.seq + 1}`,
    before: null,
    after: null,
    details,
    runId: null,
    appVersion: '0.0.9',
    prevHash: head.hash,
  };
  ws.store.sqlite
    .prepare(
      `INSERT INTO audit_event (seq, ts, actor_os, actor_user, action, entity_type, entity_id, before, after, details,
         run_id, app_version, prev_hash, hash) VALUES (?, ?, ?, NULL, ?, ?, ?, 'null', 'null', ?, NULL, ?, ?, ?)`,
    )
    .run(
      unhashed.seq,
      unhashed.ts,
      'legacy',
      action,
      'import_run',
      unhashed.entityId,
      canonicalJson(details),
      unhashed.appVersion,
      unhashed.prevHash,
      computeHash(unhashed),
    );
}

/** A message of about `bytes` characters made of excerpt lines. */
export function legacyMessage(bytes: number): string {
  return EXCERPT_LINE.repeat(Math.ceil(bytes / EXCERPT_LINE.length)).slice(0, bytes);
}

export interface MeasuredRun {
  status: number | null;
  stdout: string;
  stderr: string;
  ms: number;
  peakRssMiB: number;
}

/**
 * Runs the real `valdrix` command in a child process and reports its wall time and peak RSS, which a
 * preloaded script reads from process.resourceUsage() as the child exits.
 */
export function measureCli(args: string[]): MeasuredRun {
  const dir = tempDir('valdrix-rss-');
  const preload = path.join(dir, 'rss.cjs');
  const report = path.join(dir, 'rss.txt');
  fs.writeFileSync(
    preload,
    `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(report)}, String(process.resourceUsage().maxRSS)));\n`,
  );
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--require', preload, CLI, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '' },
    maxBuffer: 64 * 1024 * 1024,
  });
  const ms = Math.round(performance.now() - started);
  const peakRssMiB = fs.existsSync(report) ? Math.round(Number(fs.readFileSync(report, 'utf8')) / 1024) : NaN;
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr, ms, peakRssMiB };
}

/** check, export (JSONL, CSV), verify (both) and list on a workspace, each in its own process. */
function measureTrail(dir: string, target: number | null): Record<string, unknown> {
  const out = tempDir('valdrix-bench-audit-out-');
  const runs: [string, string[]][] = [
    ['check', ['--workspace', dir, 'audit', 'check']],
    ['export.jsonl', ['--workspace', dir, 'audit', 'export', '--out', path.join(out, 'audit.jsonl')]],
    ['export.csv', ['--workspace', dir, 'audit', 'export', '--format', 'csv', '--out', path.join(out, 'audit.csv')]],
    ['verify.jsonl', ['audit', 'verify', path.join(out, 'audit.jsonl')]],
    ['verify.csv', ['audit', 'verify', path.join(out, 'audit.csv')]],
    ['list', ['--workspace', dir, 'audit', 'list', '--limit', '500', '--json']],
  ];
  const figures: Record<string, unknown> = {};
  for (const [name, args] of runs) {
    const run = measureCli(args);
    const figure: Record<string, unknown> = { ms: run.ms, peakRssMiB: run.peakRssMiB, exit: run.status };
    if (target !== null) Object.assign(figure, { targetMiB: target, met: run.status === 0 && run.peakRssMiB < target });
    if (run.status !== 0) figure.output = `${run.stdout}${run.stderr}`.trim().split('\n').slice(0, 2).join(' ');
    figures[name] = figure;
  }
  const size = (file: string) => Math.round(fs.statSync(path.join(out, file)).size / 1024 / 1024);
  figures.exportMiB = { jsonl: size('audit.jsonl'), csv: size('audit.csv') };
  fs.rmSync(out, { recursive: true, force: true });
  return figures;
}

/** The longest excerpt (in steps of 500 characters) that an event holds whole, just under the cap. */
function excerptNearCap(): string {
  for (let length = AUDIT_VALUES_MAX_BYTES; ; length -= 500) {
    const excerpt = legacyMessage(length);
    const details = { i: 49_999, excerpt };
    if (Buffer.byteLength(canonicalJson(details)) + 'nullnull'.length <= AUDIT_VALUES_MAX_BYTES) return excerpt;
  }
}

export async function benchAudit(events = 50_000): Promise<Record<string, unknown>> {
  const dir = tempDir('valdrix-bench-audit-');
  const workspace = openWorkspace(dir, { clock, create: true, logger: silentLogger() });
  const excerpt = excerptNearCap();
  let large = 0;
  const t0 = performance.now();
  workspace.store.sqlite.transaction(() => {
    for (let i = 0; i < events; i++) {
      const near = i % 10 === 0;
      if (near) large++;
      workspace.audit.record({
        action: 'bench.event',
        entityType: 'thing',
        entityId: `t${i}`,
        details: near ? { i, excerpt } : { i, billed: '123.456789' },
      });
    }
  })();
  const appendMs = performance.now() - t0;
  workspace.close();
  const results: Record<string, unknown> = {
    'audit.append': { events, largeEvents: large, eventsPerSecond: Math.round(events / (appendMs / 1000)) },
  };
  const empty = tempDir('valdrix-bench-audit-empty-');
  openWorkspace(empty, { clock, create: true, logger: silentLogger() }).close();
  results['audit.cli-start'] = { peakRssMiB: measureCli(['--workspace', empty, 'audit', 'check']).peakRssMiB };
  for (const [name, figure] of Object.entries(measureTrail(dir, AUDIT_MEMORY_TARGET_MIB)))
    results[`audit.${name}`] = figure;
  const missed = Object.values(results).some((figure) => (figure as { met?: boolean }).met === false);
  if (missed) process.exitCode = 1;
  fs.rmSync(dir, { recursive: true, force: true });

  if (process.env.BENCH_AUDIT_LEGACY) {
    const legacyBytes = Number(process.env.BENCH_AUDIT_LEGACY_MB ?? 200) * 1_000_000;
    const legacy = tempDir('valdrix-bench-audit-legacy-');
    const ws = openWorkspace(legacy, { clock, create: true, logger: silentLogger() });
    for (let k = 0; k < 2; k++) {
      for (let i = 0; i < 100; i++) ws.audit.record({ action: 'bench.event', entityType: 'thing', details: { i } });
      insertLegacyEvent(ws, { message: legacyMessage(legacyBytes) });
    }
    ws.close();
    for (const [name, figure] of Object.entries(measureTrail(legacy, null))) results[`audit.legacy.${name}`] = figure;
    fs.rmSync(legacy, { recursive: true, force: true });
  }
  return results;
}
