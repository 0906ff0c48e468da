import { type Command } from 'commander';
import type { Job } from '../../shared/api/jobs';
import { JobStatusSchema } from '../../shared/api/jobs';
import type { Clock } from '../core/app/clock';
import { createJobSystem } from '../core/jobs/system';
import { toJobView } from '../core/jobs/view';
import type { createServices } from '../core/services';
import { openWorkspace, type Workspace } from '../core/workspace/workspace';
import { printResult, shown, usageError, type CliIo } from './output';
import { withServices } from './services';

export interface CommandContext {
  clock: Clock;
  dir: string;
  json: boolean;
}

function progressText(job: Job): string {
  if (!job.progress) return '';
  const { done, total, unit } = job.progress;
  return total ? `${done}/${total}${unit ? ` ${unit}` : ''}` : `${done}${unit ? ` ${unit}` : ''}`;
}

function jobLine(job: Job): string {
  const error = job.error && job.status !== 'succeeded' ? `  ${job.error.code}: ${shown(job.error.message)}` : '';
  return `${job.id}  ${job.status.padEnd(9)}  ${job.type.padEnd(24)}  attempt ${job.attempts}/${job.maxAttempts}  ${progressText(job)}${error}`;
}

function describeJob(
  job: Job,
  attempts: ReturnType<ReturnType<typeof createServices>['jobs']['get']>['attempts'],
): string {
  const lines = [
    `${job.title} (${job.type})`,
    `  id        ${job.id}`,
    `  status    ${job.status}${job.cancelRequested ? ' (cancel requested)' : ''}`,
    `  attempts  ${job.attempts} of ${job.maxAttempts}`,
    `  created   ${job.createdAt}`,
    `  started   ${job.startedAt ?? '-'}`,
    `  finished  ${job.finishedAt ?? '-'}`,
    `  next run  ${job.nextRunAt}`,
  ];
  if (job.dedupKey) lines.push(`  dedup key ${job.dedupKey}`);
  if (job.progress)
    lines.push(`  progress  ${progressText(job)}${job.progress.message ? ` (${job.progress.message})` : ''}`);
  lines.push(`  payload   ${JSON.stringify(job.payload)}`);
  if (job.result !== null && job.result !== undefined) lines.push(`  result    ${JSON.stringify(job.result)}`);
  if (job.error) lines.push(`  error     ${job.error.code}: ${shown(job.error.message)}`);
  for (const a of attempts) {
    lines.push(
      `  attempt ${a.attempt}: ${a.outcome ?? 'running'} on ${a.runner}, ${a.startedAt}${a.durationMs === null ? '' : `, ${a.durationMs} ms`}${a.error ? ` (${a.error.code}: ${shown(a.error.message)})` : ''}`,
    );
  }
  return lines.join('\n');
}

function parseStatuses(value: string): Job['status'][] {
  return value.split(',').map((s) => {
    const parsed = JobStatusSchema.safeParse(s.trim());
    if (!parsed.success)
      throw usageError(`--status: unknown status "${s}" (use ${JobStatusSchema.options.join(', ')})`);
    return parsed.data;
  });
}

// Longer than 150 lines: a list of commander declarations, one command after another.
export function addJobCommands(program: Command, io: CliIo, context: (command: Command) => CommandContext): void {
  const jobs = program.command('jobs').description('list, inspect, cancel, retry and enqueue background jobs');

  jobs
    .command('list')
    .description('jobs, newest first')
    .option(
      '--status <list>',
      'only these statuses, comma-separated (queued,running,succeeded,failed,cancelled,dead)',
      parseStatuses,
    )
    .option('--type <type>', 'only this job type')
    .option('--limit <n>', 'at most this many (1-500, default 100)', (v) => Number(v))
    .action(async (options: { status?: Job['status'][]; type?: string; limit?: number }, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const result = services.jobs.list({ statuses: options.status, type: options.type, limit: options.limit });
        const counts = Object.entries(result.counts)
          .map(([status, n]) => `${status} ${n}`)
          .join(', ');
        printResult(
          io,
          ctx.json,
          result,
          [...result.jobs.map(jobLine), result.jobs.length ? '' : 'No jobs.', counts].filter(Boolean).join('\n'),
        );
      });
    });

  jobs
    .command('show <id>')
    .description('one job with its attempts')
    .action(async (id: string, _options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const result = services.jobs.get(id);
        printResult(io, ctx.json, result, describeJob(result.job, result.attempts));
      });
    });

  jobs
    .command('cancel <id>')
    .description('cancel a waiting job, or ask a running one to stop')
    .action(async (id: string, _options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, async (services) => {
        const job = await services.jobs.cancel(id);
        printResult(
          io,
          ctx.json,
          job,
          job.status === 'cancelled'
            ? `Cancelled ${id}.`
            : `Asked ${id} to stop; its runner cancels it at the next heartbeat.`,
        );
      });
    });

  jobs
    .command('retry <id>')
    .description('run a failed, dead or cancelled job again')
    .action(async (id: string, _options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, async (services) => {
        const job = await services.jobs.retry(id);
        printResult(io, ctx.json, job, `Queued ${id} again.`);
      });
    });

  jobs
    .command('enqueue <type>')
    .description('enqueue a job of a declared type (see "valdrix jobs types")')
    .option('--payload <json>', 'the payload as JSON (default {})')
    .option('--dedup <key>', 'dedup key: while a job with this key is unfinished, that job is returned instead')
    .option('--priority <n>', 'higher runs first (default 0)', (v) => Number(v))
    .action(
      async (type: string, options: { payload?: string; dedup?: string; priority?: number }, command: Command) => {
        const ctx = context(command);
        let payload: unknown = {};
        if (options.payload !== undefined) {
          try {
            payload = JSON.parse(options.payload);
          } catch (error) {
            throw usageError(`--payload: not JSON: ${(error as Error).message}`);
          }
        }
        await withServices(ctx, async (services) => {
          const { job, created } = await services.jobs.enqueue(type, payload, {
            dedupKey: options.dedup,
            priority: options.priority,
          });
          printResult(
            io,
            ctx.json,
            { job, created },
            created ? `Enqueued ${job.id} (${type}).` : `A job with that key is already ${job.status}: ${job.id}.`,
          );
        });
      },
    );

  jobs
    .command('types')
    .description('the declared job types')
    .action(async (_options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const types = services.jobs.types();
        printResult(
          io,
          ctx.json,
          types,
          types.map((t) => `${t.type.padEnd(24)} ${t.thread.padEnd(6)} ${t.title}`).join('\n'),
        );
      });
    });

  program
    .command('worker')
    .description('run a job runner in the foreground until Ctrl+C or SIGTERM (several may share a workspace)')
    .option('--slots <n>', 'jobs run at once (default 2)', (v) => Number(v))
    .option('--exit-when-idle', 'stop once no job is queued or running')
    .action(async (options: { slots?: number; exitWhenIdle?: boolean }, command: Command) => {
      const ctx = context(command);
      if (options.slots !== undefined && (!Number.isInteger(options.slots) || options.slots < 1))
        throw usageError('--slots: expected a positive integer');
      await runWorker(io, ctx, options);
    });

  program
    .command('metrics')
    .description('job metrics in Prometheus text format')
    .action(async (_options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const { text, generatedAt } = services.diagnostics.metrics();
        printResult(io, ctx.json, { text, generatedAt }, text.trimEnd());
      });
    });
}

async function runWorker(
  io: CliIo,
  ctx: CommandContext,
  options: { slots?: number; exitWhenIdle?: boolean },
): Promise<void> {
  const workspace: Workspace = openWorkspace(ctx.dir, { clock: ctx.clock });
  const system = createJobSystem({
    workspace,
    logger: workspace.logger,
    run: true,
    runner: { slots: options.slots, pollMs: 200 },
  });
  const runner = system.runner!;
  const say = (value: unknown, text: string) => io.stdout(ctx.json ? `${JSON.stringify(value)}\n` : `${text}\n`);
  say(
    { event: 'started', runner: runner.id, workspace: workspace.paths.dir },
    `Runner ${runner.id} working on ${workspace.paths.dir} (Ctrl+C to stop)`,
  );
  const stopListening = system.queue.onChange((row) => {
    if (row.leaseOwner !== runner.id && row.status === 'running') return;
    const view = toJobView(row, system.registry);
    if (view.status !== 'running' || !view.progress) say({ event: 'job', job: view }, jobLine(view));
  });
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      clearInterval(idleTimer);
      resolve();
    };
    const idleTimer = setInterval(() => {
      if (!options.exitWhenIdle || runner.activeCount > 0) return;
      const counts = system.queue.counts();
      if (counts.queued + counts.running + counts.failed === 0) stop();
    }, 250);
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  stopListening();
  await system.stop(10_000);
  workspace.close();
  say({ event: 'stopped', runner: runner.id }, `Runner ${runner.id} stopped.`);
}
