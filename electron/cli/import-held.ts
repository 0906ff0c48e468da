/**
 * `valdrix import accept RUN` and `valdrix import discard RUN`, and how a held import is printed: the
 * replacement guard (core/ingest/replace-guard.ts) holds an import that would remove much of a snapshot.
 */
import type { ImportResult, ReplacePreviewView as ReplacePreview } from '../../shared/api/costs';
import { EXIT } from './exit-codes';
import type { CommandContext } from './jobs-commands';
import { printResult, ReportedFailure, shown, usageError, type CliIo } from './output';
import { withServices } from './services';

/** The words `import` takes instead of paths: `import accept RUN`, `import discard RUN`. */
export const HELD_ACTIONS = ['accept', 'discard'] as const;
const RUN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/** Whether `import`'s arguments are `accept RUN` or `discard RUN` rather than paths. */
export function heldAction(paths: readonly string[]): { action: (typeof HELD_ACTIONS)[number]; runId: string } | null {
  const [word, runId, ...rest] = paths;
  if (!HELD_ACTIONS.includes(word as (typeof HELD_ACTIONS)[number])) return null;
  if (!runId || rest.length || !RUN_ID.test(runId)) {
    throw usageError(
      `import ${word}: expected one run id (26 characters, as a held import prints it), got ${paths.length - 1} argument(s); to import a file named "${word}", write ./${word}`,
    );
  }
  return { action: word as (typeof HELD_ACTIONS)[number], runId };
}

/** Runs `import accept RUN` or `import discard RUN`, through the services (audited there). */
export async function runHeldAction(
  io: CliIo,
  ctx: CommandContext,
  held: { action: (typeof HELD_ACTIONS)[number]; runId: string },
): Promise<void> {
  await withServices(ctx, async (services) => {
    if (held.action === 'accept') {
      const result = await services.imports.accept(held.runId);
      printResult(
        io,
        ctx.json,
        result,
        [
          `Published held import ${result.runId} into source "${shown(result.source)}".`,
          `  inserted ${result.inserted}, updated ${result.updated}, unchanged ${result.unchanged}, removed ${result.removed}, restated ${result.restated}`,
          ...(result.alertCount ? [`  ${result.alertCount} restated cell(s) past the alert threshold: one alert`] : []),
        ].join('\n'),
      );
    } else {
      const result = await services.imports.discard(held.runId);
      printResult(io, ctx.json, result, `Discarded held import ${result.runId}; nothing was published.`);
    }
  });
}

/** Prints a held import (what it would do and why it waits) and exits with EXIT.held. */
export function reportHeld(io: CliIo, json: boolean, result: ImportResult): never {
  printResult(io, json, result, heldSummary(result));
  throw new ReportedFailure(`import ${result.runId} is held`, EXIT.held);
}

function heldSummary(result: ImportResult): string {
  const held = result.held!;
  const lines = [
    `Held: run ${result.runId} read ${result.rowsRead} rows into source "${shown(result.source)}" but published nothing.`,
    ...held.reasons.map((reason) => `  ${shown(reason.message)}`),
    '  If published, it would:',
    ...previewLines(held.preview),
    `  Publish it: valdrix import accept ${result.runId}    Discard it: valdrix import discard ${result.runId}`,
    '  (or import again with --confirm-replace; a newer import of the same snapshot discards this one)',
  ];
  return lines.join('\n');
}

function previewLines(preview: ReplacePreview): string[] {
  const lines: string[] = [];
  for (const snapshot of preview.snapshots) {
    lines.push(
      `    ${shown(snapshot.billingAccountId)} ${snapshot.billingPeriod}: ${snapshot.linesBefore} → ${snapshot.linesAfter} lines, billed ${snapshot.billedBefore} → ${snapshot.billedAfter} ${snapshot.currency}`,
    );
  }
  for (const total of preview.totals) {
    lines.push(
      `    ${total.currency}: add ${total.added.lines} lines (${total.added.amount}), change ${total.changed.lines} (${signed(total.changed.amount)}), remove ${total.removed.lines} (${total.removed.amount}); net ${signed(total.net)}`,
    );
  }
  const days = preview.byDay.slice(0, 10);
  if (days.length) lines.push('    by day (net):');
  for (const day of days) lines.push(`      ${day.day}  ${signed(day.net)} ${day.currency}`);
  if (preview.byDay.length > days.length || preview.moreDays)
    lines.push(`      … ${preview.byDay.length - days.length + preview.moreDays} more days in --json output`);
  return lines;
}

function signed(amount: string): string {
  return amount.startsWith('-') ? amount : `+${amount}`;
}
