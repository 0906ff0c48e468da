import crypto from 'node:crypto';
import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { and, count, desc, eq, gte, lt, lte, type SQL } from 'drizzle-orm';
import { canonicalJson, GENESIS_HASH, hashInput, type AuditRecord } from '../../../shared/audit';
import { maskSecrets } from '../../../shared/mask';
import { appVersion } from '../app/version';
import type { Store } from '../store/database';
import { auditEventTable } from '../store/schema';

export type AuditRow = typeof auditEventTable.$inferSelect;

export interface AuditActor {
  /** The operating-system user running Valdrix. */
  os: string;
  /** The sync-server user id when signed in; null otherwise. */
  user: string | null;
}

/** What a capability says happened. `before`/`after` for settings and rules; `details` for counts and totals. */
export interface AuditEventInput {
  action: string;
  entityType: string;
  entityId?: string | null;
  before?: unknown;
  after?: unknown;
  details?: unknown;
  /** The job or import run that did it. */
  runId?: string | null;
}

export function sha256Hex(text: string): string {
  return crypto.createHash('sha256').update(text, 'utf8').digest('hex');
}

export function computeHash(record: Omit<AuditRecord, 'hash'>): string {
  return sha256Hex(hashInput(record));
}

export function currentOsUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? process.env.USERNAME ?? 'unknown';
  }
}

export function rowToRecord(row: AuditRow): AuditRecord {
  return {
    seq: row.seq,
    ts: row.ts,
    actor: { os: row.actorOs, user: row.actorUser },
    action: row.action,
    entityType: row.entityType,
    entityId: row.entityId,
    before: JSON.parse(row.before) as unknown,
    after: JSON.parse(row.after) as unknown,
    details: JSON.parse(row.details) as unknown,
    runId: row.runId,
    appVersion: row.appVersion,
    prevHash: row.prevHash,
    hash: row.hash,
  };
}

/** A raw SQLite row (snake_case columns) as a record. */
function rawToRecord(raw: Record<string, unknown>): AuditRecord {
  return rowToRecord({
    seq: Number(raw.seq),
    ts: raw.ts as string,
    actorOs: raw.actor_os as string,
    actorUser: (raw.actor_user as string | null) ?? null,
    action: raw.action as string,
    entityType: raw.entity_type as string,
    entityId: (raw.entity_id as string | null) ?? null,
    before: raw.before as string,
    after: raw.after as string,
    details: raw.details as string,
    runId: (raw.run_id as string | null) ?? null,
    appVersion: raw.app_version as string,
    prevHash: raw.prev_hash as string,
    hash: raw.hash as string,
  });
}

export interface AuditFilter {
  from?: string;
  to?: string;
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  /** Events with a smaller sequence number (paging backwards). */
  beforeSeq?: number;
  limit?: number;
}

export interface ChainCheck {
  ok: boolean;
  count: number;
  lastSeq: number | null;
  lastHash: string;
  /** The first record that does not verify, and why. */
  firstBad: { seq: number; reason: string } | null;
}

/**
 * The one audit API. Every user action and every change to financial data records an event here, in
 * the same transaction as the change it describes. Values under sensitive keys are masked before
 * anything is stored.
 */
export class AuditLog {
  private readonly listeners = new Set<(record: AuditRecord) => void>();
  // Prepared on first use and kept: an import can append tens of thousands of events (one per alert), and
  // compiling both statements for each cost more than hashing the event.
  private prepared: { head: BetterSqlite3.Statement; insert: BetterSqlite3.Statement } | null = null;

  constructor(
    private readonly store: Store,
    private actor: AuditActor = { os: currentOsUser(), user: null },
    private readonly now: () => Date = () => new Date(),
  ) {}

  /** Called after each event this process records (to push it to the UI). */
  onAppend(listener: (record: AuditRecord) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Signed in or out of a sync server: later events carry the user id. */
  setUser(user: string | null): void {
    this.actor = { ...this.actor, user };
  }

  private statements() {
    this.prepared ??= {
      head: this.store.sqlite.prepare('SELECT seq, hash, action FROM audit_event ORDER BY seq DESC LIMIT 1'),
      insert: this.store.sqlite.prepare(
        `INSERT INTO audit_event (seq, ts, actor_os, actor_user, action, entity_type, entity_id, before, after, details,
           run_id, app_version, prev_hash, hash)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      ),
    };
    return this.prepared;
  }

  /** Appends one event to the chain and returns it. Joins the caller's transaction if there is one. */
  record(event: AuditEventInput): AuditRecord {
    const { sqlite } = this.store;
    const append = () => {
      const last = this.head();
      // Round-trip through canonical JSON so that what is hashed is exactly what is stored.
      const clean = (value: unknown) => JSON.parse(canonicalJson(maskSecrets(value ?? null))) as unknown;
      const unhashed: Omit<AuditRecord, 'hash'> = {
        seq: last ? last.seq + 1 : 1,
        ts: this.now().toISOString(),
        actor: { ...this.actor },
        action: event.action,
        entityType: event.entityType,
        entityId: event.entityId ?? null,
        before: clean(event.before),
        after: clean(event.after),
        details: clean(event.details),
        runId: event.runId ?? null,
        appVersion: appVersion(),
        prevHash: last?.hash ?? GENESIS_HASH,
      };
      const record: AuditRecord = { ...unhashed, hash: computeHash(unhashed) };
      this.statements().insert.run(
        record.seq,
        record.ts,
        record.actor.os,
        record.actor.user,
        record.action,
        record.entityType,
        record.entityId,
        canonicalJson(record.before),
        canonicalJson(record.after),
        canonicalJson(record.details),
        record.runId,
        record.appVersion,
        record.prevHash,
        record.hash,
      );
      return record;
    };
    const record = sqlite.inTransaction ? append() : sqlite.transaction(append).immediate();
    for (const listener of [...this.listeners]) {
      try {
        listener(record);
      } catch {
        // A failing listener must not undo a recorded event.
      }
    }
    return record;
  }

  list(filter: AuditFilter = {}): AuditRecord[] {
    return this.store.db
      .select()
      .from(auditEventTable)
      .where(this.where(filter))
      .orderBy(desc(auditEventTable.seq))
      .limit(filter.limit ?? 200)
      .all()
      .map(rowToRecord);
  }

  count(filter: AuditFilter = {}): number {
    const [row] = this.store.db.select({ n: count() }).from(auditEventTable).where(this.where(filter)).all();
    return Number(row?.n ?? 0);
  }

  /** Distinct values for filters. */
  facets(): { actions: string[]; actors: string[]; entityTypes: string[] } {
    const distinct = (column: string) =>
      (
        this.store.sqlite.prepare(`SELECT DISTINCT ${column} AS v FROM audit_event ORDER BY v`).all() as { v: string }[]
      ).map((r) => r.v);
    return { actions: distinct('action'), actors: distinct('actor_os'), entityTypes: distinct('entity_type') };
  }

  /** Events in sequence order for export: from/to are inclusive UTC days or timestamps. */
  *iterate(filter: Pick<AuditFilter, 'from' | 'to'> = {}): Generator<AuditRecord> {
    const statement = this.store.sqlite.prepare(
      `SELECT * FROM audit_event WHERE (@from IS NULL OR ts >= @from) AND (@to IS NULL OR ts <= @to) ORDER BY seq`,
    );
    for (const raw of statement.iterate({ from: dayStart(filter.from), to: dayEnd(filter.to) }) as Iterable<
      Record<string, unknown>
    >) {
      yield rawToRecord(raw);
    }
  }

  /**
   * Re-verifies the chain in the database: the whole of it, or (with `from`) only the events after a
   * point already verified. `count` is the number of events in the trail either way.
   */
  verifyChain(from?: { seq: number; hash: string }): ChainCheck {
    let previous = from?.hash ?? GENESIS_HASH;
    let expectedSeq = (from?.seq ?? 0) + 1;
    let lastSeq: number | null = from?.seq ?? null;
    let firstBad: ChainCheck['firstBad'] = null;
    const rows = this.store.sqlite.prepare('SELECT * FROM audit_event WHERE seq > ? ORDER BY seq');
    for (const raw of rows.iterate(from?.seq ?? 0) as Iterable<Record<string, unknown>>) {
      const record = rawToRecord(raw);
      const problem =
        record.seq !== expectedSeq
          ? `sequence ${record.seq} where ${expectedSeq} was expected`
          : record.prevHash !== previous
            ? 'its previous hash does not match the record before it'
            : computeHash(record) !== record.hash
              ? 'its hash does not match its content'
              : null;
      if (problem) {
        firstBad = { seq: record.seq, reason: problem };
        break;
      }
      previous = record.hash;
      lastSeq = record.seq;
      expectedSeq++;
    }
    return { ok: firstBad === null, count: this.count(), lastSeq, lastHash: previous, firstBad };
  }

  /** The newest event: its sequence number, hash and action. */
  head(): { seq: number; hash: string; action: string } | null {
    const row = this.statements().head.get() as { seq: bigint; hash: string; action: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash, action: row.action } : null;
  }

  private where(filter: AuditFilter): SQL | undefined {
    const conditions: SQL[] = [];
    const from = dayStart(filter.from);
    const to = dayEnd(filter.to);
    if (from) conditions.push(gte(auditEventTable.ts, from));
    if (to) conditions.push(lte(auditEventTable.ts, to));
    if (filter.actor) conditions.push(eq(auditEventTable.actorOs, filter.actor));
    // A prefix match as a range, so that '_' and '%' in action names are plain characters.
    if (filter.action)
      conditions.push(gte(auditEventTable.action, filter.action), lt(auditEventTable.action, `${filter.action}\uffff`));
    if (filter.entityType) conditions.push(eq(auditEventTable.entityType, filter.entityType));
    if (filter.entityId) conditions.push(eq(auditEventTable.entityId, filter.entityId));
    if (filter.beforeSeq) conditions.push(lt(auditEventTable.seq, filter.beforeSeq));
    return conditions.length ? and(...conditions) : undefined;
  }
}

/** A day (YYYY-MM-DD) means from its first millisecond UTC; a timestamp is taken as is. */
function dayStart(value: string | undefined): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00.000Z` : new Date(value).toISOString();
}

/** A day means through its last millisecond UTC. */
function dayEnd(value: string | undefined): string | null {
  if (!value) return null;
  return /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T23:59:59.999Z` : new Date(value).toISOString();
}
