import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { loadDemoData } from '../../electron/core/demo/demo';
import { silentLogger } from '../../electron/core/log/logger';
import { openWorkspace, workspacePaths, type Workspace } from '../../electron/core/workspace/workspace';

export const DEMO_AS_OF = '2026-11-21';

export function tempDir(prefix = 'valdrix-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

/** A fresh demo workspace in a temp folder, opened with a frozen clock. */
export function demoWorkspace(asOf = DEMO_AS_OF): { workspace: Workspace; dir: string } {
  const dir = tempDir();
  const clock = fixedClock(parseAsOf(asOf));
  const workspace = openWorkspace(dir, { clock, create: true, logger: silentLogger(), name: 'test' });
  loadDemoData(workspace, clock);
  return { workspace, dir };
}

export interface IndependentLine {
  provider: string;
  service: string;
  day: string;
  currency: string;
  billed: bigint;
  effective: bigint;
}

/**
 * Reads cost lines straight from the SQLite file with a separate connection (not the rollup, not
 * the services) so tests can compute expected totals independently.
 */
export function readLinesIndependently(dir: string): IndependentLine[] {
  const db = new Database(workspacePaths(dir).database, { readonly: true });
  try {
    db.defaultSafeIntegers(true);
    return (
      db
        .prepare(
          // Whole units and the nano fraction are stored apart (shared/exact.ts); demo amounts are nano-exact.
          `SELECT provider, service_name AS service, charge_day AS day, currency,
             billed_units * 1000000000 + billed_nanos AS billed, effective_units * 1000000000 + effective_nanos AS effective
           FROM cost_line`,
        )
        .all() as IndependentLine[]
    ).map((l) => ({ ...l, billed: BigInt(l.billed), effective: BigInt(l.effective) }));
  } finally {
    db.close();
  }
}

export function sumWhere(lines: IndependentLine[], predicate: (line: IndependentLine) => boolean): bigint {
  let total = 0n;
  for (const line of lines) if (predicate(line)) total += line.billed;
  return total;
}
