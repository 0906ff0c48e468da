// Audit benchmarks: append rate, export and offline verification of a large trail.
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { fixedClock, parseAsOf } from '../../electron/core/app/clock';
import { exportAudit } from '../../electron/core/audit/export';
import { verifyAuditExport } from '../../electron/core/audit/verify';
import { silentLogger } from '../../electron/core/log/logger';
import { keychainSecretStore } from '../../electron/core/secrets/secret-store';
import { openWorkspace } from '../../electron/core/workspace/workspace';
import { tempDir } from '../support/workspace';

export async function benchAudit(events = 50_000): Promise<Record<string, unknown>> {
  const clock = fixedClock(parseAsOf('2026-11-21'));
  const workspace = openWorkspace(tempDir('valdrix-bench-audit-'), { clock, create: true, logger: silentLogger() });
  const t0 = performance.now();
  workspace.store.sqlite.transaction(() => {
    for (let i = 0; i < events; i++) {
      workspace.audit.record({
        action: 'bench.event',
        entityType: 'thing',
        entityId: `t${i}`,
        details: { i, billed: '123.456789' },
      });
    }
  })();
  const appendMs = performance.now() - t0;
  const out = path.join(tempDir('valdrix-bench-audit-'), 'audit.jsonl');
  const t1 = performance.now();
  await exportAudit({
    store: workspace.store,
    audit: workspace.audit,
    secrets: keychainSecretStore('Valdrix-bench'),
    workspaceId: workspace.meta.id,
    out,
  });
  const exportMs = performance.now() - t1;
  const t2 = performance.now();
  const report = verifyAuditExport(out);
  const verifyMs = performance.now() - t2;
  const t3 = performance.now();
  const chain = workspace.audit.verifyChain();
  const chainMs = performance.now() - t3;
  workspace.close();
  if (!report.ok || !chain.ok) throw new Error('benchmark export did not verify');
  const rate = (ms: number) => Math.round(events / (ms / 1000));
  return {
    'audit.append': { events, eventsPerSecond: rate(appendMs) },
    'audit.export': { events: report.count, ms: Math.round(exportMs), eventsPerSecond: rate(exportMs) },
    'audit.verify-file': { ms: Math.round(verifyMs), eventsPerSecond: rate(verifyMs) },
    'audit.verify-chain-in-db': { ms: Math.round(chainMs), eventsPerSecond: rate(chainMs) },
  };
}
