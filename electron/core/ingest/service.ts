/** The ingest capability's services and handlers: detect, start, list, grant paths, held imports. */
import type { z } from 'zod';
import type { HandlersOf } from '../../../shared/api/contract';
import {
  ImportDetectInputSchema,
  ImportStartInputSchema,
  type DetectedFileView,
  type ImportStartInput,
} from '../../../shared/api/costs';
import type { importsChannels } from '../../../shared/api/imports';
import type { Job } from '../../../shared/api/jobs';
import { excerpt } from '../../../shared/text';
import { defaultImportPaths, type LocalPath } from '../app';
import type { CoreContext, CoreKit } from '../context';
import { detectFile } from './detect';
import { acceptHeldImport, discardHeldImport, listHeldImports } from './held';
import { importLimits, importSettings, listImportRuns } from './history';
import { importCostFiles } from './import';
import { expandImportPaths } from './paths';
import type { ImportOptions, ImportResult } from './types';

/** An import run in this process: the job's request, without the screen's limit on how many paths. */
const ImportRunInputSchema = ImportStartInputSchema.extend({
  paths: ImportStartInputSchema.shape.paths.unwrap().array().min(1),
});

export function createImportServices(ctx: CoreContext, kit: CoreKit) {
  const { audit, store } = ctx.workspace;
  const { queue } = ctx.jobs;
  const importPaths = ctx.importPaths ?? defaultImportPaths(ctx.mode, ctx.workspace.paths.dir);
  /**
   * The paths the policy allows (in browser mode the real paths that were checked: a chosen path that is
   * a link cannot be pointed elsewhere before the import reads it) and the workspace's alert thresholds
   * where the request names none.
   */
  const resolveRequest = async <T extends z.output<typeof ImportRunInputSchema>>(parsed: T) => {
    const checked = await importPaths.check(parsed.paths, expandImportPaths);
    const settings = importSettings(store);
    return {
      ...parsed,
      paths: checked ?? parsed.paths,
      alertThresholdPct: parsed.alertThresholdPct ?? settings.alertThresholdPct,
      alertMinAmount: parsed.alertMinAmount ?? settings.alertMinAmount,
    };
  };
  return {
    imports: {
      /** Detected format of each file, before importing; only paths the policy allows are read. */
      async detect(input: z.input<typeof ImportDetectInputSchema>): Promise<DetectedFileView[]> {
        const parsed = ImportDetectInputSchema.parse(input);
        const files = await expandImportPaths(
          (await importPaths.check(parsed.paths, expandImportPaths)) ?? parsed.paths,
        );
        const limits = importLimits(store);
        const detected = [];
        for (const file of files) {
          const found = await detectFile(file, parsed.format, undefined, limits);
          detected.push({
            path: found.path,
            container: found.container,
            columnCount: found.columns.length,
            format: found.format,
            variant: found.variant,
            scores: found.scores,
            // A reason, not the file: whatever a parser quoted is cut short and made printable.
            error: found.error === null ? null : excerpt(found.error, 300),
          });
        }
        return detected;
      },
      /** Enqueues the import job of paths the policy allows; the user action is audited with the job. */
      async start(input: ImportStartInput): Promise<Job> {
        const parsed = ImportStartInputSchema.parse(input);
        const payload = await resolveRequest(parsed);
        const job = await kit.atomically(() => {
          const { job: row } = queue.enqueue('costs.import', payload);
          audit.record({
            action: 'costs.import_started',
            entityType: 'job',
            entityId: row.id,
            details: { paths: parsed.paths, format: parsed.format, source: parsed.source ?? null },
          });
          return row;
        });
        return kit.jobView(job);
      },
      /**
       * Imports in this process, as `valdrix import` does, with the paths and thresholds resolved as
       * imports.start resolves them; the import audits itself (costs.imported, or why it failed).
       */
      async run(
        input: z.input<typeof ImportRunInputSchema>,
        options: Pick<ImportOptions, 'signal' | 'onProgress'> = {},
      ): Promise<ImportResult> {
        const request = await resolveRequest(ImportRunInputSchema.parse(input));
        return importCostFiles({ store, audit, logger: ctx.logger, now: kit.stamp }, request, options);
      },
      list: (input: { limit?: number } = {}) => listImportRuns(store, input.limit ?? 50),
      /**
       * A path the user typed and confirmed (browser mode): imports may read it, a folder with all it
       * holds, until the host stops. The grant is a user action, audited.
       */
      async grantPath(input: { path: string }): Promise<LocalPath> {
        const target = await importPaths.resolve(input.path);
        await kit.atomically(() =>
          audit.record({
            action: 'imports.path_granted',
            entityType: 'path',
            entityId: target.path,
            details: { kind: target.kind, typed: input.path },
          }),
        );
        importPaths.allow(target);
        return target;
      },
      /** Imports the replacement guard holds, with why and what publishing them would do. */
      held: () => listHeldImports(store),
      /** Publishes a held import; the acceptance is audited with who accepted it. */
      accept: (runId: string) => kit.atomically(() => acceptHeldImport({ store, audit, now: kit.stamp }, runId)),
      /** Discards a held import; audited. */
      discard: (runId: string) => kit.atomically(() => discardHeldImport({ store, audit, now: kit.stamp }, runId)),
    },
  };
}

export type ImportServices = ReturnType<typeof createImportServices>;

export function importsHandlers(services: ImportServices): HandlersOf<typeof importsChannels> {
  return {
    'imports.detect': (input) => services.imports.detect(input),
    'imports.start': (input) => services.imports.start(input),
    'imports.list': (input) => services.imports.list(input),
    'imports.grantPath': (input) => services.imports.grantPath(input),
    'imports.held': () => services.imports.held(),
    'imports.accept': (input) => services.imports.accept(input.runId),
    'imports.discard': (input) => services.imports.discard(input.runId),
  };
}
