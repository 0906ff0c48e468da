import crypto from 'node:crypto';
import os from 'node:os';
import type BetterSqlite3 from 'better-sqlite3';
import { canonicalJson, GENESIS_HASH, hashInput, type AuditRecord } from '../../../shared/audit';
import { maskSecrets } from '../../../shared/mask';
import { appVersion } from '../app';
import type { Store } from '../store';
import { capAuditText, capAuditValues, grouped } from './cap';
import { guardedColumns, StoredEvents, type StoredColumn, type StoredEvent } from './stored';

/** One audit.list response (or `valdrix audit list` page): at most this many bytes of JSON. */
export const AUDIT_PAGE_MAX_BYTES = 4 * 1024 * 1024;
/**
 * In a page, a before/after/details value larger than this (only events written before the size cap
 * hold one) is replaced by a marker with its size; so is a text column larger than the text limit.
 */
export const AUDIT_LISTED_VALUE_MAX_BYTES = 1024 * 1024;
const LISTED_TEXT_MAX_BYTES = 4 * 1024;
/** Room in a page for what surrounds the events (`total`, `hasMore`, the IPC or HTTP envelope). */
const PAGE_ENVELOPE_BYTES = 1024;
const JSON_COLUMNS = new Set<StoredColumn>(['before', 'after', 'details']);

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

/** Events newest first, bounded by count and by AUDIT_PAGE_MAX_BYTES; `nextBeforeSeq` asks for the next page. */
export interface AuditPage {
  events: AuditRecord[];
  hasMore: boolean;
  nextBeforeSeq: number | null;
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
 * the same transaction as the change it describes. Values under sensitive keys are masked, and each
 * event is bounded (cap.ts), before anything is stored.
 */
export class AuditLog {
  private readonly listeners = new Set<(record: AuditRecord) => void>();
  // Prepared on first use and kept: an import can append tens of thousands of events (one per alert), and
  // compiling both statements for each cost more than hashing the event.
  private prepared: { head: BetterSqlite3.Statement; insert: BetterSqlite3.Statement } | null = null;

  constructor(
    private readonly store: Store,
    /** When events happen: the injected clock's stamp (app/clock.ts), real time even under --as-of. */
    private readonly now: () => Date,
    private actor: AuditActor = { os: currentOsUser(), user: null },
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
      // Masked, then bounded (cap.ts), then round-tripped through canonical JSON so that what is hashed
      // is exactly what is stored.
      const [before, after, details] = capAuditValues(
        [event.before, event.after, event.details].map((value) => maskSecrets(value ?? null)),
      ).map((value) => JSON.parse(canonicalJson(value)) as unknown);
      const unhashed: Omit<AuditRecord, 'hash'> = {
        seq: last ? last.seq + 1 : 1,
        ts: this.now().toISOString(),
        actor: { ...this.actor },
        action: capAuditText(event.action),
        entityType: capAuditText(event.entityType),
        entityId: capAuditText(event.entityId ?? null),
        before,
        after,
        details,
        runId: capAuditText(event.runId ?? null),
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

  /**
   * Matching events, newest first: at most `limit` (200 unless given) and at most `maxBytes` of JSON, so
   * a response stays small whatever the events hold. Values too large to list (AUDIT_LISTED_VALUE_MAX_BYTES)
   * are replaced by a marker with their size; exports hold them whole.
   */
  page(filter: AuditFilter = {}, maxBytes = AUDIT_PAGE_MAX_BYTES): AuditPage {
    const limit = filter.limit ?? 200;
    const { sql, params } = whereSql(filter);
    // Sequence numbers first, then each row by its key: sorting whole rows could hold hundreds of MB.
    const seqs = (
      this.store.sqlite
        .prepare(`SELECT seq FROM audit_event ${sql} ORDER BY seq DESC LIMIT @limit`)
        .pluck()
        .all({ ...params, limit: limit + 1 }) as (bigint | number)[]
    ).map(Number);
    const columns = guardedColumns(
      (c) => (JSON_COLUMNS.has(c) ? AUDIT_LISTED_VALUE_MAX_BYTES : LISTED_TEXT_MAX_BYTES),
      'TEXT',
    );
    const one = this.store.sqlite.prepare(`SELECT seq, ${columns} FROM audit_event WHERE seq = ?`);
    const events: AuditRecord[] = [];
    let used = 2;
    let hasMore = seqs.length > limit;
    for (const seq of seqs.slice(0, limit)) {
      const row = one.get(seq) as Record<string, unknown> | undefined;
      if (!row) continue;
      let event = listedRecord(row, AUDIT_LISTED_VALUE_MAX_BYTES);
      let bytes = Buffer.byteLength(JSON.stringify(event)) + 1;
      if (bytes > maxBytes - PAGE_ENVELOPE_BYTES) {
        // Only with a budget smaller than AUDIT_PAGE_MAX_BYTES: the event without its values.
        event = listedRecord(row, 0);
        bytes = Buffer.byteLength(JSON.stringify(event)) + 1;
      }
      if (events.length > 0 && used + bytes > maxBytes - PAGE_ENVELOPE_BYTES) {
        hasMore = true;
        break;
      }
      events.push(event);
      used += bytes;
    }
    return { events, hasMore, nextBeforeSeq: hasMore ? (events.at(-1)?.seq ?? null) : null };
  }

  /** The events of one page (see page()). */
  list(filter: AuditFilter = {}): AuditRecord[] {
    return this.page(filter).events;
  }

  count(filter: AuditFilter = {}): number {
    const { sql, params } = whereSql(filter);
    const row = this.store.sqlite.prepare(`SELECT count(*) AS n FROM audit_event ${sql}`).get(params) as { n: bigint };
    return Number(row.n);
  }

  /** Distinct values for filters. */
  facets(): { actions: string[]; actors: string[]; entityTypes: string[] } {
    const distinct = (column: string) =>
      (
        this.store.sqlite.prepare(`SELECT DISTINCT ${column} AS v FROM audit_event ORDER BY v`).all() as { v: string }[]
      ).map((r) => r.v);
    return { actions: distinct('action'), actors: distinct('actor_os'), entityTypes: distinct('entity_type') };
  }

  /** Stored events in sequence order, as bytes, for exports: from/to are inclusive UTC days or timestamps. */
  stored(filter: Pick<AuditFilter, 'from' | 'to'> = {}): { reader: StoredEvents; events: Iterable<StoredEvent> } {
    const reader = new StoredEvents(this.store.sqlite);
    return { reader, events: reader.iterate({ from: dayStart(filter.from), to: dayEnd(filter.to) }) };
  }

  /**
   * Re-verifies the chain in the database: the whole of it, or (with `from`) only the events after a
   * point already verified. `count` is the number of events in the trail either way. Each event is
   * hashed from its stored text (stored.ts), so memory stays bounded whatever the events hold.
   */
  verifyChain(from?: { seq: number; hash: string }): ChainCheck {
    let previous = from?.hash ?? GENESIS_HASH;
    let expectedSeq = (from?.seq ?? 0) + 1;
    let lastSeq: number | null = from?.seq ?? null;
    let firstBad: ChainCheck['firstBad'] = null;
    const reader = new StoredEvents(this.store.sqlite);
    for (const event of reader.iterate({ afterSeq: from?.seq ?? 0 })) {
      const hash = StoredEvents.text(event.values.hash);
      const problem =
        event.seq !== expectedSeq
          ? `sequence ${event.seq} where ${expectedSeq} was expected`
          : StoredEvents.text(event.values.prev_hash) !== previous
            ? 'its previous hash does not match the record before it'
            : reader.hash(event) !== hash
              ? 'its hash does not match its content'
              : null;
      if (problem) {
        firstBad = { seq: event.seq, reason: problem };
        break;
      }
      previous = hash!;
      lastSeq = event.seq;
      expectedSeq++;
    }
    return { ok: firstBad === null, count: this.count(), lastSeq, lastHash: previous, firstBad };
  }

  /**
   * Where the newest successful full check of the chain ended (the scheduled integrity job or
   * `valdrix audit check`, each recorded as audit.integrity_checked): an anchor to verify on from.
   */
  lastFullCheck(): { seq: number; hash: string; at: string } | null {
    const row = this.store.sqlite
      .prepare(
        `SELECT ts, json_extract(details, '$.lastSeq') AS seq, json_extract(details, '$.lastHash') AS hash
         FROM audit_event WHERE action = 'audit.integrity_checked' AND json_extract(details, '$.ok') = 1
           AND json_extract(details, '$.firstBad') IS NULL AND json_extract(details, '$.lastSeq') IS NOT NULL
         ORDER BY seq DESC LIMIT 1`,
      )
      .get() as { ts: string; seq: bigint | number; hash: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash, at: row.ts } : null;
  }

  /** The newest event: its sequence number, hash and action. */
  head(): { seq: number; hash: string; action: string } | null {
    const row = this.statements().head.get() as { seq: bigint; hash: string; action: string } | undefined;
    return row ? { seq: Number(row.seq), hash: row.hash, action: row.action } : null;
  }
}

/** The filter as SQL conditions over audit_event, with named parameters. */
function whereSql(filter: AuditFilter): { sql: string; params: Record<string, string | number> } {
  const conditions: string[] = [];
  const params: Record<string, string | number> = {};
  const add = (condition: string, values: Record<string, string | number>) => {
    conditions.push(condition);
    Object.assign(params, values);
  };
  const from = dayStart(filter.from);
  const to = dayEnd(filter.to);
  if (from) add('ts >= @from', { from });
  if (to) add('ts <= @to', { to });
  if (filter.actor) add('actor_os = @actor', { actor: filter.actor });
  // A prefix match as a range, so that '_' and '%' in action names are plain characters.
  if (filter.action)
    add('action >= @action AND action < @actionEnd', { action: filter.action, actionEnd: `${filter.action}\uffff` });
  if (filter.entityType) add('entity_type = @entityType', { entityType: filter.entityType });
  if (filter.entityId) add('entity_id = @entityId', { entityId: filter.entityId });
  if (filter.beforeSeq) add('seq < @beforeSeq', { beforeSeq: filter.beforeSeq });
  return { sql: conditions.length ? `WHERE ${conditions.join(' AND ')}` : '', params };
}

/** What replaces a value too large to list. */
function omitted(bytes: number): string {
  return `…[omitted here: ${grouped(bytes)} bytes; exports hold the whole event]`;
}

/** A row of guardedColumns(…, 'TEXT') as a record; JSON values over `valueMax` bytes become a marker. */
function listedRecord(row: Record<string, unknown>, valueMax: number): AuditRecord {
  const text = (column: StoredColumn): string | null => {
    const bytes = row[`${column}__n`] as bigint | null;
    if (bytes === null) return null;
    return (row[column] as string | null) ?? omitted(Number(bytes));
  };
  const json = (column: StoredColumn): unknown => {
    const value = text(column);
    if (value === null || row[column] === null) return value;
    if (Number(row[`${column}__n`] as bigint) > valueMax) return omitted(Number(row[`${column}__n`] as bigint));
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value; // Not JSON: changed outside Valdrix (the chain check reports it).
    }
  };
  return {
    seq: Number(row.seq as bigint),
    ts: text('ts')!,
    actor: { os: text('actor_os')!, user: text('actor_user') },
    action: text('action')!,
    entityType: text('entity_type')!,
    entityId: text('entity_id'),
    before: json('before'),
    after: json('after'),
    details: json('details'),
    runId: text('run_id'),
    appVersion: text('app_version')!,
    prevHash: text('prev_hash')!,
    hash: text('hash')!,
  };
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
