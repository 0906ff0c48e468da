/** Reconciliation commands: sources of record (`valdrix sources`, `valdrix sources record`). */
import type { Command } from 'commander';
import { IsoMonthSchema } from '../../shared/api/schemas';
import type { CommandContext } from './jobs-commands';
import { printResult, shown, usageError, type CliIo } from './output';
import { withServices } from './services';

export function addReconcileCommands(program: Command, io: CliIo, context: (command: Command) => CommandContext): void {
  const sources = program
    .command('sources')
    .description(
      'billing accounts and periods with their source of record: cost views count only that source; others are comparison sources',
    )
    .action(async (_options: unknown, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, (services) => {
        const records = services.sources.list();
        const text = records.length
          ? records
              .map((record) => {
                const others = record.holders.filter((holder) => !holder.counted).map((holder) => shown(holder.source));
                return `${record.billingPeriod}  ${shown(record.billingAccountId)}  source of record: ${shown(record.source)} (${record.chosen === 'user' ? `chosen ${record.chosenAt}` : 'first imported'})${others.length ? `; comparison: ${others.join(', ')}` : ''}`;
              })
              .join('\n')
          : 'No cost data yet.';
        printResult(io, ctx.json, { sources: records }, text);
      });
    });

  sources
    .command('record')
    .description('make SOURCE the source of record of one billing account and period (it must hold that period)')
    .argument('<source>', 'the source name, as `valdrix sources` lists it')
    .requiredOption('--account <id>', 'billing account id')
    .requiredOption('--period <YYYY-MM>', 'billing period')
    .action(async (source: string, options: { account: string; period: string }, command: Command) => {
      const ctx = context(command);
      if (!IsoMonthSchema.safeParse(options.period).success) {
        throw usageError(`--period: expected a month YYYY-MM, got "${shown(options.period)}"`);
      }
      await withServices(ctx, async (services) => {
        const result = await services.sources.setRecord({
          billingAccountId: options.account,
          billingPeriod: options.period,
          source,
        });
        printResult(
          io,
          ctx.json,
          result,
          result.changed
            ? `${shown(options.account)} ${options.period}: source of record is now "${shown(result.after)}" (was "${shown(result.before)}"); totals count it instead.`
            : `${shown(options.account)} ${options.period}: "${shown(result.after)}" already is the source of record; nothing changed.`,
        );
      });
    });
}
