/** The audit capability's services and handlers: the trail, its chain status, exports, the keychain. */
import fs from 'node:fs';
import path from 'node:path';
import { AuditListInputSchema, type auditChannels } from '../../../shared/api/audit';
import type { HandlersOf } from '../../../shared/api/contract';
import type { AuditRecord } from '../../../shared/audit';
import type { CoreContext, CoreKit } from '../context';
import { KEYCHAIN_HELP } from '../secrets';
import { checkWholeChain } from './check';
import { exportAudit, type AuditFormat } from './export';

interface ExportInput {
  format?: AuditFormat;
  from?: string;
  to?: string;
  unsigned?: boolean;
}

export function createAuditServices(ctx: CoreContext, kit: CoreKit) {
  const { audit, store } = ctx.workspace;
  let verified: { seq: number; hash: string } | null = null;
  const exportTo = (out: string, input: ExportInput) =>
    exportAudit({
      store,
      audit,
      secrets: ctx.secrets,
      workspaceId: ctx.workspace.meta.id,
      out,
      format: input.format,
      from: input.from,
      to: input.to,
      unsigned: input.unsigned,
      now: () => kit.stamp(),
      write: kit.atomically,
    });
  return {
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
        return { ...check, checkedAt: kit.stamp().toISOString() };
      },
      facets: () => audit.facets(),
      /** The whole chain verified now and the check recorded (`valdrix audit check`). */
      checkWholeChain: () => kit.atomically(() => checkWholeChain(audit)),
      /** Exports into WORKSPACE/exports with a signed (or, asked to, unsigned) manifest; recorded as an event. */
      async export(input: ExportInput) {
        const stamp = kit.stamp().toISOString().replace(/[:.]/g, '-');
        const format = input.format ?? 'jsonl';
        const out = path.join(ctx.workspace.paths.dir, 'exports', `audit-${stamp}.${format}`);
        fs.mkdirSync(path.dirname(out), { recursive: true });
        const { file, manifestFile, manifest } = await exportTo(out, { ...input, format });
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
      /** Exports to a file the caller names (`valdrix audit export --out`), with the whole manifest. */
      exportTo,
      /** Whether the OS keychain answers (signed exports need it), with how to get one. */
      async keychain() {
        const status = await ctx.secrets.status();
        return { ...status, help: KEYCHAIN_HELP };
      },
    },
  };
}

export type AuditServices = ReturnType<typeof createAuditServices>;

export function auditHandlers(services: AuditServices): HandlersOf<typeof auditChannels> {
  return {
    'audit.list': (input) => services.audit.list(input),
    'audit.status': () => services.audit.status(),
    'audit.facets': () => services.audit.facets(),
    'audit.export': (input) => services.audit.export(input),
    'audit.keychain': () => services.audit.keychain(),
  };
}
