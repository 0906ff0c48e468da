// A job runner in its own process, for multi-process tests: node electron/cli/run-ts.mjs test/support/runner-process.ts DB_FILE [LEASE_MS]
// It runs the test job types until no job is queued, running or failed, then exits 0.
import { systemClock } from '../../electron/core/app/clock';
import { JobQueue } from '../../electron/core/jobs/queue';
import { JobRunner } from '../../electron/core/jobs/runner';
import { createLogger } from '../../electron/core/log/logger';
import { openStore } from '../../electron/core/store/database';
import { createJobRegistry } from './test-jobs';

const [file, leaseArg] = process.argv.slice(2);
if (!file) throw new Error('usage: runner-process.ts DB_FILE [LEASE_MS]');
const store = openStore({ file, mustExist: true, now: () => new Date() });
const queue = new JobQueue(store, createJobRegistry(), Date.now);
const runner = new JobRunner({
  queue,
  logger: createLogger({ level: 'error' }),
  clock: systemClock,
  slots: 4,
  pollMs: 5,
  leaseMs: Number(leaseArg ?? 1000),
  maintenance: false,
}).start();
process.stdout.write(`ready ${runner.id}\n`);

const idle = setInterval(() => {
  const counts = queue.counts();
  if (counts.queued + counts.running + counts.failed === 0 && runner.activeCount === 0) {
    clearInterval(idle);
    void runner.stop(1000).then(() => {
      store.close();
      process.exit(0);
    });
  }
}, 50);
