import fs from 'node:fs';
import path from 'node:path';
import type { AppInfo, Overview, OverviewInput } from '../../shared/api/contract';
import { JobsListInputSchema, OverviewInputSchema } from '../../shared/api/contract';
import { AppError } from '../../shared/api/errors';
import type { z } from 'zod';
import {
  CostLinesInputSchema,
  CostQueryInputSchema,
  ImportAlertSettingsPatchSchema,
  ImportDetectInputSchema,
  ImportStartInputSchema,
  type CostQueryInput,
  type DetectedFileView,
  type ImportStartInput,
} from '../../shared/api/costs';
type ImportDetectInput = z.input<typeof ImportDetectInputSchema>;
import type { Alert, Job, JobAttempt } from '../../shared/api/jobs';
import { AuditListInputSchema } from '../../shared/api/contract';
import type { AuditRecord } from '../../shared/audit';
import { listAlerts } from './alerts/alerts';
import { restatementPage } from './restatements';
import { RestatementPageInputSchema, type RestatementPageInput } from '../../shared/api/restatements';
import { exportAudit, type AuditFormat } from './audit/export';
import { publicKeyFingerprint, storedPublicKey } from './audit/signing';
import { KEYCHAIN_HELP, type SecretStore } from './secrets/secret-store';
import { jobMetrics } from './jobs/metrics';
import type { JobSystem } from './jobs/system';
import { toAttemptView, toJobView } from './jobs/view';
import type { Clock } from './app/clock';
import { today } from './app/clock';
import type { EventBus } from './app/event-bus';
import { appVersion } from './app/version';
import { computeOverview } from './costs/overview';
import { costAnswerCsv, queryLines } from './costs/lines';
import { queryCosts, type CostQuery } from './costs/query';
import {
  importLimits,
  importSettings,
  listImportRuns,
  listRestatements,
  updateImportLimits,
  updateImportSettings,
} from './ingest/history';
import { excerpt } from '../../shared/text';
import { detectFile, expandImportPaths } from './ingest/import';
import { acceptHeldImport, discardHeldImport, listHeldImports } from './ingest/held';
import { defaultImportPaths, type ImportPathPolicy, type LocalPath } from './app/path-grants';
import type { Logger } from './log/logger';
import { whenWritable } from './store/nonblocking';
import { reportingCurrency, type Workspace } from './workspace/workspace';

export interface CoreContext {
  workspace: Workspace;
  clock: Clock;
  logger: Logger;
  events: EventBus;
  jobs: JobSystem;
  /** The OS keychain (the audit signing key lives there). */
  secrets: SecretStore;
  mode: 'electron' | 'browser';
  /** Which local files imports may read; by default any in Electron, uploads and confirmed paths in browser mode. */
  importPaths?: ImportPathPolicy;
}

/** The core's services over one open workspace; every host (Electron, browser bridge, CLI, tests) builds these. */
export function createServices(ctx: CoreContext) {
  const { queue, registry } = ctx.jobs;
  const { audit, store } = ctx.workspace;
  let verified: { seq: number; hash: string } | null = null;
  /**
   * A change and its audit event commit together or not at all. The services answer the UI, so a
   * change waits for another process's write (an import publishing) without blocking the thread, and
   * gives up with CONFLICT after store/nonblocking.ts's deadline.
   */
  const atomically = <T>(fn: () => T): Promise<T> => whenWritable(store.sqlite, fn);
  const view = (row: Parameters<typeof toJobView>[0]) => toJobView(row, registry);
  const importPaths = ctx.importPaths ?? defaultImportPaths(ctx.mode, ctx.workspace.paths.dir);
  // When a change is made (audit, settings, exports): real time even while --as-of freezes ctx.clock.now().
  const stamp = () => ctx.clock.stamp();
  return {
    app: {
      /** Version, mode, clock and workspace facts. */
      info(): AppInfo {
        const { workspace } = ctx;
        return {
          name: 'Valdrix',
          version: appVersion(),
          mode: ctx.mode,
          asOf: today(ctx.clock),
          clockFrozen: ctx.clock.frozen,
          workspace: {
            id: workspace.meta.id,
            name: workspace.meta.name,
            path: workspace.paths.dir,
            schemaVersion: workspace.store.schemaVersion,
            isDemo: workspace.meta.isDemo,
            reportingCurrency: reportingCurrency(workspace.store),
          },
        };
      },
    },
    overview: {
      /** Month-to-date, daily spend and top services in the reporting currency. */
      get(input: OverviewInput = {}): Overview {
        const parsed = OverviewInputSchema.parse(input);
        return computeOverview(ctx.workspace.store.sqlite, {
          asOf: today(ctx.clock),
          currency: reportingCurrency(ctx.workspace.store),
          groupBy: parsed.groupBy,
          metric: parsed.metric,
        });
      },
    },
    jobs: {
      /** Jobs newest first, filtered by status and type, with counts by status. */
      list(input: { statuses?: Job['status'][]; type?: string; limit?: number } = {}) {
        const parsed = JobsListInputSchema.parse(input);
        return { jobs: queue.list(parsed).map(view), counts: queue.counts() };
      },
      /** One job and its attempts. */
      get(id: string): { job: Job; attempts: JobAttempt[] } {
        return { job: view(queue.require(id)), attempts: queue.attempts(id).map(toAttemptView) };
      },
      async cancel(id: string): Promise<Job> {
        const job = await atomically(() => {
          const row = queue.cancel(id);
          audit.record({
            action: row.status === 'cancelled' ? 'job.cancelled' : 'job.cancel_requested',
            entityType: 'job',
            entityId: id,
            details: { type: row.type },
          });
          return row;
        });
        return view(job);
      },
      async retry(id: string): Promise<Job> {
        const job = await atomically(() => {
          const row = queue.retry(id);
          audit.record({ action: 'job.retried', entityType: 'job', entityId: id, details: { type: row.type } });
          return row;
        });
        return view(job);
      },
      /** Starts a job type people may start; other types are refused. */
      async start(type: string, payload: unknown): Promise<Job> {
        const definition = registry.get(type);
        if (!definition?.userStartable) {
          throw new AppError('FORBIDDEN', `job type "${type}" cannot be started by hand`, {
            startable: registry
              .all()
              .filter((d) => d.userStartable)
              .map((d) => d.type),
          });
        }
        const job = await atomically(() => {
          const { job: row } = queue.enqueue(type, payload ?? {});
          audit.record({
            action: 'job.started',
            entityType: 'job',
            entityId: row.id,
            details: { type, payload: row.payload },
          });
          return row;
        });
        return view(job);
      },
      types: () =>
        registry.all().map((d) => ({
          type: d.type,
          title: d.title,
          thread: d.thread ?? ('main' as const),
          concurrency: d.concurrency ?? null,
          maxAttempts: d.maxAttempts ?? 5,
          userStartable: !!d.userStartable,
        })),
    },
    diagnostics: {
      /** Prometheus text exposition of job metrics. */
      metrics: () => ({ text: jobMetrics(queue), generatedAt: new Date(queue.now()).toISOString() }),
    },
    audit: {
      /**
       * Events newest first, a page at a time: at most `limit` and at most 4 MiB of JSON (values too large
       * for a page are replaced by a marker with their size); `nextBeforeSeq` asks for the next page, and
       * total counts all matches.
       */
      list(input: Parameters<typeof AuditListInputSchema.parse>[0] = {}): {
        events: AuditRecord[];
        total: number;
        hasMore: boolean;
        nextBeforeSeq: number | null;
      } {
        const filter = AuditListInputSchema.parse(input);
        return { ...audit.page(filter), total: audit.count({ ...filter, beforeSeq: undefined }) };
      },
      /**
       * Chain status for the UI: the events added since the last point verified, so the thread that
       * answers the UI never re-reads a large trail. The first call in a process starts from the newest
       * full check recorded in the trail (the integrity job, in a worker thread every 6 hours, or
       * `valdrix audit check`), or from the first event when there is none.
       */
      status() {
        const check = audit.verifyChain(verified ?? audit.lastFullCheck() ?? undefined);
        if (check.ok && check.lastSeq !== null) verified = { seq: check.lastSeq, hash: check.lastHash };
        else if (!check.ok) verified = null;
        return { ...check, checkedAt: ctx.clock.stamp().toISOString() };
      },
      facets: () => audit.facets(),
      /** Exports into WORKSPACE/exports with a signed (or, asked to, unsigned) manifest; recorded as an event. */
      async export(input: { format?: AuditFormat; from?: string; to?: string; unsigned?: boolean }) {
        const stamp = ctx.clock.stamp().toISOString().replace(/[:.]/g, '-');
        const format = input.format ?? 'jsonl';
        const out = path.join(ctx.workspace.paths.dir, 'exports', `audit-${stamp}.${format}`);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        const { file, manifestFile, manifest } = await exportAudit({
          store,
          audit,
          secrets: ctx.secrets,
          workspaceId: ctx.workspace.meta.id,
          out,
          format,
          from: input.from,
          to: input.to,
          unsigned: input.unsigned,
          now: () => ctx.clock.stamp(),
          write: atomically,
        });
        return {
          file,
          manifestFile,
          count: manifest.count,
          lastHash: manifest.lastHash,
          fileSha256: manifest.fileSha256,
          signed: manifest.signatureAlgorithm !== 'none',
          publicKeyFingerprint: manifest.publicKeyFingerprint,
        };
      },
      /** Whether the OS keychain answers (signed exports need it), with how to get one. */
      async keychain() {
        const status = await ctx.secrets.status();
        return { ...status, help: KEYCHAIN_HELP };
      },
    },
    imports: {
      /** Detected format of each file, before importing; only paths the policy allows are read. */
      async detect(input: ImportDetectInput): Promise<DetectedFileView[]> {
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
        // In browser mode the job reads the real paths that were checked: a chosen path that is a link
        // cannot be pointed elsewhere between now and the job.
        const checked = await importPaths.check(parsed.paths, expandImportPaths);
        const settings = importSettings(store);
        const payload = {
          ...parsed,
          paths: checked ?? parsed.paths,
          alertThresholdPct: parsed.alertThresholdPct ?? settings.alertThresholdPct,
          alertMinAmount: parsed.alertMinAmount ?? settings.alertMinAmount,
        };
        const job = await atomically(() => {
          const { job: row } = queue.enqueue('costs.import', payload);
          audit.record({
            action: 'costs.import_started',
            entityType: 'job',
            entityId: row.id,
            details: { paths: parsed.paths, format: parsed.format, source: parsed.source ?? null },
          });
          return row;
        });
        return view(job);
      },
      list: (input: { limit?: number } = {}) => listImportRuns(store, input.limit ?? 50),
      /**
       * A path the user typed and confirmed (browser mode): imports may read it, a folder with all it
       * holds, until the host stops. The grant is a user action, audited.
       */
      async grantPath(input: { path: string }): Promise<LocalPath> {
        const target = await importPaths.resolve(input.path);
        await atomically(() =>
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
      accept: (runId: string) => atomically(() => acceptHeldImport({ store, audit, now: stamp }, runId)),
      /** Discards a held import; audited. */
      discard: (runId: string) => atomically(() => discardHeldImport({ store, audit, now: stamp }, runId)),
    },
    costs: {
      /** Exact totals of current snapshots grouped by dimensions. */
      query(input: CostQueryInput) {
        const parsed = CostQueryInputSchema.parse(input);
        return queryCosts(store.sqlite, {
          ...parsed,
          filters: parsed.filters as CostQuery['filters'],
          asOf: today(ctx.clock),
        });
      },
      lines(input: z.input<typeof CostLinesInputSchema>) {
        const parsed = CostLinesInputSchema.parse(input);
        return queryLines(store.sqlite, { ...parsed, asOf: today(ctx.clock) });
      },
      /** CSV of a cost question; the export is an audited user action. */
      async exportCsv(input: CostQueryInput) {
        const parsed = CostQueryInputSchema.parse(input);
        const answer = queryCosts(store.sqlite, {
          ...parsed,
          filters: parsed.filters as CostQuery['filters'],
          asOf: today(ctx.clock),
          limit: 100_000,
        });
        const csv = costAnswerCsv(parsed.by, answer.rows);
        const fileName = `valdrix-costs-${parsed.from ?? 'all'}-${parsed.to ?? 'all'}.csv`;
        await atomically(() =>
          audit.record({
            action: 'costs.exported',
            entityType: 'cost_query',
            details: { query: parsed, rows: answer.rows.length, totals: answer.totals, fileName },
          }),
        );
        return { fileName, csv };
      },
    },
    restatements: {
      list: (input: { runId?: string; limit?: number } = {}) => listRestatements(store, input),
      /** Ranked by impact, a page at a time, with per-currency sums (the Restatements screen). */
      page: (input: RestatementPageInput = {}) => restatementPage(store, RestatementPageInputSchema.parse(input)),
    },
    settings: {
      get() {
        const publicKey = storedPublicKey(store);
        return {
          reportingCurrency: reportingCurrency(store),
          workspacePath: ctx.workspace.paths.dir,
          auditPublicKey: publicKey,
          auditPublicKeyFingerprint: publicKey ? publicKeyFingerprint(publicKey) : null,
          importAlerts: importSettings(store),
          importLimits: importLimits(store),
        };
      },
      /** The restatement alert thresholds; every change is audited with before and after. */
      async updateImportAlerts(input: z.input<typeof ImportAlertSettingsPatchSchema>) {
        const patch = ImportAlertSettingsPatchSchema.parse(input);
        return atomically(() => updateImportSettings(store, audit, patch, stamp().toISOString()));
      },
      /** The record and field size limits of imports; every change is audited with before and after. */
      updateImportLimits(input: { maxRecordBytes?: number; maxFieldBytes?: number }) {
        return atomically(() => updateImportLimits(store, audit, input, stamp().toISOString()));
      },
    },
    alerts: {
      list: (input: { kind?: string; limit?: number } = {}): Alert[] =>
        listAlerts(ctx.workspace.store, input).map((a) => ({
          id: a.id,
          kind: a.kind,
          severity: a.severity,
          title: a.title,
          message: a.message,
          details: a.details,
          entityType: a.entityType,
          entityId: a.entityId,
          createdAt: a.createdAt,
          acknowledgedAt: a.acknowledgedAt,
        })),
    },
  };
}

export type Services = ReturnType<typeof createServices>;
