import type { Command } from 'commander';
import { Option } from 'commander';
import { AppError } from '../../shared/api/errors';
import {
  COST_DIMENSIONS,
  ImportAlertSettingsPatchSchema,
  type CostStatus,
  type ImportResult,
} from '../../shared/api/costs';
import { FORMAT_IDS, type FormatId } from '../../shared/api/formats';
import { NonNegativeDecimalSchema } from '../../shared/api/schemas';
import { yieldCpuToInteractiveWork } from '../core/app';
import { parseDimension } from '../core/costs';
import { sizeText } from '../core/ingest/readers';
import type { CommandContext } from './jobs-commands';
import { heldAction, reportHeld, runHeldAction } from './import-held';
import { printResult, shown, usageError, type CliIo } from './output';
import { withServices } from './services';

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function parseDay(option: string) {
  return (value: string) => {
    if (!DAY.test(value) || Number.isNaN(Date.parse(`${value}T00:00:00Z`))) {
      throw usageError(`${option}: expected YYYY-MM-DD, got "${value}"`);
    }
    return value;
  };
}

/** --alert-threshold-pct and --alert-min-amount: the rule the Import screen and the settings use. */
function parseDecimalOption(option: string) {
  return (value: string) => {
    if (!NonNegativeDecimalSchema.safeParse(value).success)
      throw usageError(`${option}: expected a non-negative number (digits, at most 9 decimals), got "${shown(value)}"`);
    return value;
  };
}

function importSummary(result: ImportResult): string {
  const lines = [
    `Imported ${result.rowsRead} rows from ${result.files.length} file(s) into source "${shown(result.source)}" (run ${result.runId}).`,
    ...result.files.map((f) => `  ${shown(f.path)}: ${f.variant}, ${f.rows} rows`),
    `  inserted ${result.inserted}, updated ${result.updated}, unchanged ${result.unchanged}, removed ${result.removed}, restated ${result.restated}`,
    // Per currency: amounts in different currencies are never added together.
    ...result.totals.map((c) => `  ${c.currency}: billed ${c.billed}, effective ${c.effective}`),
  ];
  const comparison = result.snapshots.filter((snapshot) => snapshot.sourceOfRecord !== undefined);
  if (comparison.length) {
    lines.push(
      `  ${comparison.length} snapshot(s) kept as comparison, not counted: another source is their source of record (valdrix sources):`,
      ...comparison
        .slice(0, 20)
        .map(
          (s) => `    ${shown(s.billingAccountId)} ${s.billingPeriod}: source of record "${shown(s.sourceOfRecord!)}"`,
        ),
    );
  }
  if (result.skippedCount) {
    lines.push(`  skipped ${result.skippedCount} bad row(s):`);
    lines.push(
      ...result.skipped
        .slice(0, 20)
        .map(
          (s) => `    ${shown(s.file)}:${s.line ?? '?'}${s.column ? ` (${shown(s.column)})` : ''}: ${shown(s.message)}`,
        ),
    );
    if (result.skippedCount > 20) lines.push(`    … ${result.skippedCount - 20} more in --json output`);
  }
  const alertCount = result.alertCount ?? result.alerts.length;
  if (alertCount) {
    lines.push(`  ${alertCount} restatement alert(s)${alertCount > 20 ? ', the first 20' : ''}:`);
    lines.push(
      ...result.alerts
        .slice(0, 20)
        .map(
          (a) =>
            `    ${a.day} ${shown(a.billingAccountId)} ${shown(a.serviceName)}: ${a.old} → ${a.new} ${a.currency}${a.percent === null ? '' : ` (${a.percent} %)`}`,
        ),
    );
  }
  return lines.join('\n');
}

// Longer than 150 lines: a list of commander declarations, one command after another, each calling the services.
export function addCostCommands(program: Command, io: CliIo, context: (command: Command) => CommandContext): void {
  program
    .command('import')
    .description('import billing export files or folders (FOCUS, AWS CUR, CUR 2.0, Azure, GCP): all or nothing')
    .argument(
      '<paths...>',
      'files or folders (a folder with a CUR manifest imports the files it lists); or `accept RUN` / `discard RUN` for a held import',
    )
    .addOption(new Option('--format <format>', 'the export format').choices(['auto', ...FORMAT_IDS]).default('auto'))
    .option('--source <name>', 'source name; a newer export of the same source, account and period replaces the older')
    .option('--skip-bad-rows', 'import the good rows and report the bad ones instead of failing')
    .option(
      '--alert-threshold-pct <n>',
      'alert on cells that moved more than this percent (default: setting, 2)',
      parseDecimalOption('--alert-threshold-pct'),
    )
    .option(
      '--alert-min-amount <n>',
      'only alert when a cell moved at least this much (default: setting, 1.00)',
      parseDecimalOption('--alert-min-amount'),
    )
    .option(
      '--confirm-replace',
      'publish even if it removes more than import.replaceGuardPct of a snapshot, drops days or skipped rows (otherwise held, exit 10)',
    )
    .option(
      '--replace-source',
      'move files already imported under another source to this one (that source loses their months); otherwise refused, exit 5',
    )
    .option('--currency <code>', 'currency for exports without a currency column')
    .option('--billing-account <id>', 'billing account for exports without one (GCP legacy file export)')
    .option('--quiet', 'no progress on stderr')
    .action(
      async (
        paths: string[],
        options: {
          format: 'auto' | FormatId;
          source?: string;
          skipBadRows?: boolean;
          alertThresholdPct?: string;
          alertMinAmount?: string;
          currency?: string;
          billingAccount?: string;
          quiet?: boolean;
          confirmReplace?: boolean;
          replaceSource?: boolean;
        },
        command: Command,
      ) => {
        const ctx = context(command);
        const held = heldAction(paths);
        if (held) return runHeldAction(io, ctx, held);
        if (options.currency && !/^[A-Za-z]{3}$/.test(options.currency)) {
          throw usageError(`--currency: expected a 3-letter code, got "${options.currency}"`);
        }
        // An open app on the same machine keeps answering its user while this runs.
        yieldCpuToInteractiveWork('process');
        const controller = new AbortController();
        const onSignal = () => controller.abort();
        process.once('SIGINT', onSignal);
        process.once('SIGTERM', onSignal);
        try {
          // Quick imports print no progress at all; long ones a line every 2 s.
          let lastLine = performance.now();
          const result = await withServices(ctx, (services) =>
            services.imports.run(
              {
                paths,
                format: options.format,
                source: options.source,
                skipBadRows: !!options.skipBadRows,
                alertThresholdPct: options.alertThresholdPct,
                alertMinAmount: options.alertMinAmount,
                currency: options.currency?.toUpperCase(),
                billingAccountId: options.billingAccount,
                confirmReplace: !!options.confirmReplace,
                replaceSource: !!options.replaceSource,
              },
              {
                signal: controller.signal,
                onProgress: (p) => {
                  if (options.quiet || ctx.json) return;
                  const at = performance.now();
                  if (at - lastLine < 2000) return;
                  lastLine = at;
                  const pct = p.totalBytes ? ` ${Math.floor((p.bytesRead / p.totalBytes) * 100)} %` : '';
                  io.stderr(`  ${p.phase} ${shown(p.file)}: ${p.rowsRead} rows${pct}\n`);
                },
              },
            ),
          );
          if (result.status === 'held') reportHeld(io, ctx.json, result);
          printResult(io, ctx.json, result, importSummary(result));
        } finally {
          process.off('SIGINT', onSignal);
          process.off('SIGTERM', onSignal);
        }
      },
    );

  program
    .command('costs')
    .description('costs of current snapshots grouped by dimensions; money is exact decimal text')
    .option('--from <day>', 'first charge day, YYYY-MM-DD', parseDay('--from'))
    .option('--to <day>', 'last charge day, YYYY-MM-DD', parseDay('--to'))
    .option('--by <dims>', `comma-separated: ${COST_DIMENSIONS.join(', ')}, tag:KEY`)
    .addOption(
      new Option('--status <status>', 'final, preliminary or all')
        .choices(['final', 'preliminary', 'all'])
        .default('all'),
    )
    .action(async (options: { from?: string; to?: string; by?: string; status: CostStatus }, command: Command) => {
      const ctx = context(command);
      if (options.from && options.to && options.from > options.to) throw usageError('--from is after --to');
      const by = (options.by ?? '')
        .split(',')
        .filter((d) => d.trim() !== '')
        .map(parseDimension);
      await withServices(ctx, (services) => {
        // Every row, as far as the contract goes (the app's explorer asks for fewer).
        const answer = services.costs.query({
          from: options.from,
          to: options.to,
          by,
          status: options.status,
          limit: 100_000,
        });
        const value = { rows: answer.rows, totals: answer.totals, finality: answer.finality };
        const table = answer.rows.map(
          (row) =>
            `${by.map((d) => (row[d] === null || row[d] === undefined ? '(none)' : shown(row[d]))).join('  ')}${by.length ? '  ' : ''}${row.billed} ${row.currency} (effective ${row.effective})`,
        );
        printResult(
          io,
          ctx.json,
          value,
          [
            ...table,
            // One line per currency: amounts in different currencies are never added together.
            ...(answer.totals.length
              ? answer.totals.map((t) => `Total ${t.currency}: billed ${t.billed}, effective ${t.effective}`)
              : ['Total: no costs']),
          ].join('\n'),
        );
      });
    });

  program
    .command('restatements')
    .description('line-level differences recorded when an import replaced a snapshot')
    .option('--run <id>', 'only this import run')
    .option('--limit <n>', 'at most this many (default 1000)', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw usageError(`--limit: expected a positive integer, got "${v}"`);
      return n;
    })
    .action(async (options: { run?: string; limit?: number }, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const restatements = services.restatements.list({ runId: options.run, limit: options.limit });
        printResult(
          io,
          ctx.json,
          { restatements },
          restatements.length
            ? restatements
                .map(
                  (r) =>
                    `${r.kind.padEnd(8)} ${r.billingPeriod} ${shown(r.billingAccountId)} ${r.chargeDay} ${shown(r.serviceName)}: ${r.oldBilled ?? '—'} → ${r.newBilled ?? '—'} ${r.currency}  (run ${r.runId})`,
                )
                .join('\n')
            : 'No restatements.',
        );
      });
    });

  const settings = program
    .command('settings')
    .description('workspace settings: show them, or set the import alert thresholds and size limits');
  settings
    .command('show', { isDefault: true })
    .description('the workspace settings')
    .action(async (_options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const { importAlerts, importLimits } = services.settings.get();
        const value = { importAlerts, importLimits };
        printResult(
          io,
          ctx.json,
          value,
          [
            `import.alertThresholdPct  ${value.importAlerts.alertThresholdPct}`,
            `import.alertMinAmount     ${value.importAlerts.alertMinAmount}`,
            `import.replaceGuardPct    ${value.importAlerts.replaceGuardPct}`,
            `import.maxRecordBytes     ${value.importLimits.maxRecordBytes} (${sizeText(value.importLimits.maxRecordBytes)})`,
            `import.maxFieldBytes      ${value.importLimits.maxFieldBytes} (${sizeText(value.importLimits.maxFieldBytes)})`,
          ].join('\n'),
        );
      });
    });
  const ALERT_SETTINGS = {
    'import.alertThresholdPct': 'alertThresholdPct',
    'import.alertMinAmount': 'alertMinAmount',
    'import.replaceGuardPct': 'replaceGuardPct',
  } as const;
  const LIMIT_SETTINGS = {
    'import.maxRecordBytes': 'maxRecordBytes',
    'import.maxFieldBytes': 'maxFieldBytes',
  } as const;
  const settingNames = [...Object.keys(ALERT_SETTINGS), ...Object.keys(LIMIT_SETTINGS)].join(', ');
  settings
    .command('set')
    .description(
      'set import.alertThresholdPct (percent), import.alertMinAmount (billing currency), import.replaceGuardPct (percent, 0–100), import.maxRecordBytes or import.maxFieldBytes (bytes); audited',
    )
    .argument('<key>', settingNames)
    .argument('<value>', 'a non-negative number (limits: whole bytes, 1024 to 268435456)')
    .action(async (key: string, value: string, _options, command: Command) => {
      const ctx = context(command);
      const alert = ALERT_SETTINGS[key as keyof typeof ALERT_SETTINGS] as
        'alertThresholdPct' | 'alertMinAmount' | 'replaceGuardPct' | undefined;
      const limit = LIMIT_SETTINGS[key as keyof typeof LIMIT_SETTINGS] as
        'maxRecordBytes' | 'maxFieldBytes' | undefined;
      if (!alert && !limit) throw usageError(`unknown setting "${shown(key)}": use ${settingNames}`);
      if (limit && !/^\d{1,12}$/.test(value))
        throw usageError(`${key}: expected a whole number of bytes, got "${shown(value)}"`);
      if (alert) {
        const checked = ImportAlertSettingsPatchSchema.safeParse({ [alert]: value });
        if (!checked.success) throw usageError(`${key}: ${checked.error.issues[0]!.message}, got "${shown(value)}"`);
      }
      await withServices(ctx, async (services) => {
        if (alert) {
          const updated = await services.settings.updateImportAlerts({ [alert]: value });
          printResult(io, ctx.json, { importAlerts: updated }, `${key} = ${updated[alert]}`);
        } else {
          const updated = await services.settings.updateImportLimits({ [limit!]: Number(value) });
          printResult(
            io,
            ctx.json,
            { importLimits: updated },
            `${key} = ${updated[limit!]} (${sizeText(updated[limit!])})`,
          );
        }
      });
    });

  program
    .command('alerts')
    .description('alerts, newest first: restated cost cells, stuck jobs, integrity failures')
    .option('--kind <kind>', 'only this kind (e.g. costs.restated)')
    .option('--limit <n>', 'at most this many (default 100)', (v) => Number(v))
    .action(async (options: { kind?: string; limit?: number }, command: Command) => {
      const ctx = context(command);
      if (options.limit !== undefined && (!Number.isInteger(options.limit) || options.limit < 1)) {
        throw new AppError('VALIDATION', '--limit: expected a positive integer');
      }
      await withServices(ctx, (services) => {
        const alerts = services.alerts.list({ kind: options.kind, limit: options.limit ?? 100 });
        printResult(
          io,
          ctx.json,
          { alerts },
          alerts.length
            ? alerts
                .map((a) => `${a.createdAt}  ${a.severity.padEnd(8)} ${shown(a.title)}: ${shown(a.message)}`)
                .join('\n')
            : 'No alerts.',
        );
      });
    });
}
