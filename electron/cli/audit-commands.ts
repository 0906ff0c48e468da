import path from 'node:path';
import type { Command } from 'commander';
import type { AuditRecord } from '../../shared/audit';
import { AuditFormatSchema, verifyAuditExport } from '../core/audit';
import { openWorkspace } from '../core/workspace/workspace';
import type { CommandContext } from './jobs-commands';
import { EXIT } from './exit-codes';
import { printResult, ReportedFailure, usageError, type CliIo } from './output';
import { withServices } from './services';

const DATE = /^\d{4}-\d{2}-\d{2}$/;

function parseDate(option: string) {
  return (value: string) => {
    if (!DATE.test(value) && Number.isNaN(Date.parse(value)))
      throw usageError(`${option}: expected YYYY-MM-DD or an ISO timestamp, got "${value}"`);
    return value;
  };
}

function positiveInteger(option: string) {
  return (value: string) => {
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < 1) throw usageError(`${option}: expected a positive integer, got "${value}"`);
    return n;
  };
}

function eventLine(e: AuditRecord): string {
  return `${String(e.seq).padStart(6)}  ${e.ts}  ${e.actor.os.padEnd(10)}  ${e.action.padEnd(26)}  ${e.entityType}${e.entityId ? `:${e.entityId}` : ''}`;
}

// Longer than 150 lines: a list of commander declarations, one command after another.
export function addAuditCommands(
  program: Command,
  io: CliIo,
  context: (command: Command) => CommandContext,
  plainContext: (command: Command) => { json: boolean },
): void {
  const audit = program.command('audit').description('the tamper-evident audit trail: list, check, export and verify');

  audit
    .command('list')
    .description('audit events, newest first, a page at a time')
    .option('--from <date>', 'from this UTC day or timestamp', parseDate('--from'))
    .option('--to <date>', 'through this UTC day or timestamp', parseDate('--to'))
    .option('--actor <user>', 'only events by this OS user')
    .option('--action <prefix>', 'only actions starting with this (e.g. job.)')
    .option('--entity <type>', 'only this entity type')
    .option('--limit <n>', 'at most this many (default 100; a page also stops at 4 MiB)', positiveInteger('--limit'))
    .option('--before-seq <n>', 'only events before this one (the next page)', positiveInteger('--before-seq'))
    .action(
      (
        options: {
          from?: string;
          to?: string;
          actor?: string;
          action?: string;
          entity?: string;
          limit?: number;
          beforeSeq?: number;
        },
        command: Command,
      ) => {
        const ctx = context(command);
        const workspace = openWorkspace(ctx.dir, { clock: ctx.clock });
        try {
          const { entity, ...filter } = options;
          const page = workspace.audit.page({ ...filter, entityType: entity, limit: options.limit ?? 100 });
          const lines = page.events.length ? page.events.map(eventLine) : ['No events.'];
          if (page.hasMore) lines.push(`More events: add --before-seq ${page.nextBeforeSeq} for the next page.`);
          printResult(io, ctx.json, page, lines.join('\n'));
        } finally {
          workspace.close();
        }
      },
    );

  audit
    .command('check')
    .description('re-verify the hash chain stored in the workspace')
    .action(async (_options, command: Command) => {
      const ctx = context(command);
      await withServices(ctx, async (services) => {
        const check = await services.audit.checkWholeChain();
        printResult(
          io,
          ctx.json,
          check,
          check.ok
            ? `Audit chain intact: ${check.count} events, last hash ${check.lastHash}.`
            : `Audit chain BROKEN at event ${check.firstBad!.seq}: ${check.firstBad!.reason}.`,
        );
        if (!check.ok)
          throw new ReportedFailure(`the audit chain is broken at event ${check.firstBad!.seq}`, EXIT['not intact']);
      });
    });

  audit
    .command('export')
    .description(
      'write audit events and FILE.manifest.json (signed with the workspace key from the OS keychain, or --unsigned)',
    )
    .requiredOption('--out <file>', 'the file to write')
    .option('--format <format>', 'jsonl (default) or csv', (v) => {
      const parsed = AuditFormatSchema.safeParse(v);
      if (!parsed.success) throw usageError(`--format: expected jsonl or csv, got "${v}"`);
      return parsed.data;
    })
    .option('--from <date>', 'from this UTC day or timestamp', parseDate('--from'))
    .option('--to <date>', 'through this UTC day or timestamp', parseDate('--to'))
    .option('--unsigned', 'no signature, no keychain needed: verifiable by its hash chain only, and labelled unsigned')
    .action(
      async (
        options: { out: string; format?: 'jsonl' | 'csv'; from?: string; to?: string; unsigned?: boolean },
        command: Command,
      ) => {
        const ctx = context(command);
        await withServices(ctx, async (services) => {
          const { file, manifestFile, manifest } = await services.audit.exportTo(options.out, {
            format: options.format,
            from: options.from,
            to: options.to,
            unsigned: !!options.unsigned,
          });
          printResult(
            io,
            ctx.json,
            { file, manifestFile, manifest },
            [
              `Exported ${manifest.count} events to ${file}`,
              `Manifest ${manifestFile}`,
              `  events ${manifest.firstSeq ?? '-'} to ${manifest.lastSeq ?? '-'}, last hash ${manifest.lastHash ?? '-'}`,
              `  file SHA-256 ${manifest.fileSha256}`,
              manifest.signatureAlgorithm === 'none'
                ? '  UNSIGNED (--unsigned): `valdrix audit verify` checks its hash chain and file hash, not who wrote it'
                : `  signed with Ed25519 key ${manifest.publicKeyFingerprint}`,
            ].join('\n'),
          );
        });
      },
    );

  audit
    .command('verify <file>')
    .description(
      'verify an export and its manifest without the workspace: chain, file hash, signature (exit 9 when unsigned)',
    )
    .action(async (file: string, _options, command: Command) => {
      const { json } = plainContext(command);
      const report = await verifyAuditExport(path.resolve(file));
      const range = `${report.count} events (${report.firstSeq ?? '-'} to ${report.lastSeq ?? '-'})`;
      const lines =
        report.status === 'verified'
          ? [
              `Intact: ${range}, chain, file hash and signature verified.`,
              `Signed by key ${report.publicKeyFingerprint}: compare it with Settings in the workspace that exported it.`,
            ]
          : report.status === 'unsigned'
            ? [
                `unsigned: chain intact, no signature. ${range}: chain and file hash verified.`,
                'Nothing proves which workspace wrote it: whoever can write the file could have rewritten the whole chain. A signed export proves it.',
              ]
            : [
                report.firstBadRecord ? `NOT INTACT: first bad record: ${report.firstBadRecord.message}` : 'NOT INTACT',
                ...report.problems.map((p) => `  - ${p.message}`),
              ];
      printResult(io, json, report, lines.join('\n'));
      if (!report.ok) throw new ReportedFailure('audit export not intact', EXIT['not intact']);
      // Intact but unsigned is not "verified": a script that checks the status cannot mistake one for the other.
      if (report.status === 'unsigned') throw new ReportedFailure('audit export unsigned', EXIT.unsigned);
    });
}
