import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { JobQueue } from '../../electron/core/jobs/queue';
import { openStore } from '../../electron/core/store/database';
import { CLI, REPO_ROOT, runCli } from '../support/cli';
import { createJobRegistry, EFFECT_TABLE_SQL } from '../support/test-jobs';
import { tempDir } from '../support/workspace';

const RUNNER = path.join(REPO_ROOT, 'test', 'support', 'runner-process.ts');
const RUN_TS = path.join(REPO_ROOT, 'electron', 'cli', 'run-ts.mjs');
const JOBS = 10_000;

function startRunner(file: string): { child: ChildProcess; exited: Promise<number | null> } {
  const child = spawn(process.execPath, [RUN_TS, RUNNER, file, '1000'], {
    cwd: REPO_ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) =>
    child.on('exit', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') console.error(`runner exited ${code} ${signal}: ${stderr}`);
      resolve(code);
    }),
  );
  return { child, exited };
}

function prepare(): string {
  const file = path.join(tempDir(), 'valdrix.sqlite');
  const store = openStore({ file, now: () => new Date() });
  store.sqlite.exec(EFFECT_TABLE_SQL);
  const queue = new JobQueue(store, createJobRegistry(), Date.now);
  store.sqlite.transaction(() => {
    for (let n = 0; n < JOBS; n++) queue.enqueue('test.effect', { n });
  })();
  store.close();
  return file;
}

function outcome(file: string) {
  const db = new Database(file, { readonly: true });
  try {
    const effects = db
      .prepare('SELECT COUNT(*) AS total, COUNT(DISTINCT job_id) AS jobs, COUNT(DISTINCT n) AS ns FROM test_effect')
      .get() as {
      total: number;
      jobs: number;
      ns: number;
    };
    const byStatus = db.prepare('SELECT status, COUNT(*) AS n FROM job GROUP BY status').all() as {
      status: string;
      n: number;
    }[];
    const runners = db.prepare('SELECT COUNT(DISTINCT runner) AS n FROM test_effect').get() as { n: number };
    const missing = db
      .prepare('SELECT COUNT(*) AS n FROM job j WHERE NOT EXISTS (SELECT 1 FROM test_effect e WHERE e.job_id = j.id)')
      .get() as { n: number };
    return {
      effects,
      byStatus: Object.fromEntries(byStatus.map((r) => [r.status, r.n])),
      runners: runners.n,
      missing: missing.n,
    };
  } finally {
    db.close();
  }
}

function effectCount(file: string): number {
  const db = new Database(file, { readonly: true, timeout: 5000 });
  try {
    return (db.prepare('SELECT COUNT(*) AS n FROM test_effect').get() as { n: number }).n;
  } finally {
    db.close();
  }
}

describe('jobs across processes', () => {
  it(`two runner processes run ${JOBS} jobs: every effect exactly once, none lost`, { timeout: 240_000 }, async () => {
    const file = prepare();
    const a = startRunner(file);
    const b = startRunner(file);
    expect(await a.exited).toBe(0);
    expect(await b.exited).toBe(0);
    const result = outcome(file);
    expect(result.effects).toEqual({ total: JOBS, jobs: JOBS, ns: JOBS });
    expect(result.byStatus).toEqual({ succeeded: JOBS });
    expect(result.missing).toBe(0);
    expect(result.runners).toBe(2);
  });

  it('the same holds when one runner is killed with SIGKILL half-way', { timeout: 240_000 }, async () => {
    const file = prepare();
    const victim = startRunner(file);
    const survivor = startRunner(file);
    while (effectCount(file) < JOBS / 3) await new Promise((resolve) => setTimeout(resolve, 20));
    victim.child.kill('SIGKILL');
    expect(await victim.exited).toBeNull();
    expect(await survivor.exited).toBe(0);
    const result = outcome(file);
    expect(result.effects).toEqual({ total: JOBS, jobs: JOBS, ns: JOBS });
    expect(result.byStatus).toEqual({ succeeded: JOBS });
    expect(result.missing).toBe(0);
  });

  it('enqueuing one dedup key from several processes at once yields one job', { timeout: 60_000 }, async () => {
    const dir = tempDir();
    expect(runCli(['--workspace', dir, 'init']).status).toBe(0);
    const runs = await Promise.all(
      Array.from(
        { length: 6 },
        () =>
          new Promise<string>((resolve, reject) => {
            const child = spawn(
              process.execPath,
              [CLI, '--workspace', dir, 'jobs', 'enqueue', 'demo.long', '--dedup', 'ws:demo.long:scope:0', '--json'],
              {
                cwd: REPO_ROOT,
              },
            );
            let out = '';
            child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
            child.on('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`exit ${code}`))));
          }),
      ),
    );
    const results = runs.map((out) => JSON.parse(out) as { job: { id: string }; created: boolean });
    expect(new Set(results.map((r) => r.job.id)).size).toBe(1);
    expect(results.filter((r) => r.created)).toHaveLength(1);
    const list = JSON.parse(runCli(['--workspace', dir, 'jobs', 'list', '--json']).stdout) as { jobs: unknown[] };
    expect(list.jobs).toHaveLength(1);
  });
});
