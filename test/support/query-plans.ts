/**
 * What a reader asks SQLite, and how SQLite answers it: the statements a reader runs, captured at
 * `prepare` (never copied from the source), and each table read of their query plans, so a test can
 * tell a seek on an index from a read of a whole table.
 */
import type { Sqlite } from '../../electron/core/store/database';

/** A statement a reader ran, with the arguments it ran it with. */
export interface RanStatement {
  sql: string;
  args: unknown[];
}

const RUNS = ['all', 'get', 'iterate', 'run'] as const;

/**
 * Records every statement run on `sqlite` until `stop()`: its SQL as prepared and the arguments of each
 * run. A statement prepared before the capture began (a cached one) is not seen, so a test should expect
 * the reads it cares about: a reader that moves to cached statements then fails loudly, not silently.
 */
export function captureStatements(sqlite: Sqlite): { ran: RanStatement[]; stop(): void } {
  const ran: RanStatement[] = [];
  const prepare = sqlite.prepare;
  sqlite.prepare = ((sql: string) => {
    const statement = prepare.call(sqlite, sql);
    for (const name of RUNS) {
      const run = statement[name] as (...args: unknown[]) => unknown;
      Object.defineProperty(statement, name, {
        configurable: true,
        value: (...args: unknown[]) => {
          ran.push({ sql, args });
          return run.apply(statement, args);
        },
      });
    }
    return statement;
  }) as typeof sqlite.prepare;
  return { ran, stop: () => void (sqlite.prepare = prepare) };
}

/** The statements a synchronous reader runs on `sqlite`. */
export function statementsRunBy(sqlite: Sqlite, read: () => unknown): RanStatement[] {
  const capture = captureStatements(sqlite);
  try {
    if (read() instanceof Promise) throw new Error('statementsRunBy takes synchronous readers; use captureStatements');
  } finally {
    capture.stop();
  }
  return capture.ran;
}

/** One table read in a query plan. */
export interface TableRead {
  table: string;
  /** 'scan' reads every row, or builds a throwaway index by reading every row (AUTOMATIC); 'search' seeks. */
  how: 'scan' | 'search';
  /** The index named ('PRIMARY KEY' for a table's own key), or null. */
  index: string | null;
  /** The seek's constraints as SQLite prints them ("run_seq=? AND day>?"), or null. */
  keys: string | null;
  detail: string;
}

/** The plan's lines, as EXPLAIN QUERY PLAN prints them, for `statement` bound as it ran. */
export function planOf(sqlite: Sqlite, statement: RanStatement): string[] {
  const rows = sqlite.prepare(`EXPLAIN QUERY PLAN ${statement.sql}`).all(...statement.args) as { detail: string }[];
  return rows.map((row) => row.detail);
}

const NOT_AN_ALIAS = new Set(
  'as on where join cross left inner natural group order limit not indexed using set union window having values'.split(
    ' ',
  ),
);

/**
 * The names each of `tables` goes by in `sql` (itself and its aliases): plans name a table by its alias.
 * An alias given to two different tables would make the plan ambiguous, and throws.
 */
function namesOf(sql: string, tables: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const pattern = new RegExp(`\\b(${tables.join('|')})\\b(?:\\s+(?:AS\\s+)?([A-Za-z_]\\w*))?`, 'gi');
  for (const match of sql.matchAll(pattern)) {
    const table = match[1]!.toLowerCase();
    const alias = match[2] && !NOT_AN_ALIAS.has(match[2].toLowerCase()) ? match[2] : table;
    const known = names.get(alias);
    if (known && known !== table) throw new Error(`alias ${alias} names both ${known} and ${table}: ${sql}`);
    names.set(alias, table);
  }
  return names;
}

/** How `statement` reads each of `tables`, one entry per SCAN or SEARCH of them in its plan. */
export function tableReads(sqlite: Sqlite, statement: RanStatement, tables: readonly string[]): TableRead[] {
  const names = namesOf(statement.sql, tables);
  // Statements on other tables are not planned at all: they may name tables that exist only while they run.
  if (names.size === 0) return [];
  const reads: TableRead[] = [];
  for (const detail of planOf(sqlite, statement)) {
    const step = /^(SCAN|SEARCH) (\S+)(.*)$/.exec(detail);
    const table = step && names.get(step[2]!);
    if (!step || !table) continue;
    const rest = step[3]!;
    const named = /USING (?:COVERING )?INDEX (\S+)/.exec(rest)?.[1] ?? null;
    const index = /USING (?:INTEGER )?PRIMARY KEY/.test(rest) ? 'PRIMARY KEY' : named;
    const automatic = /AUTOMATIC/.test(rest);
    reads.push({
      table,
      how: step[1] === 'SEARCH' && !automatic && index !== null ? 'search' : 'scan',
      index: automatic ? null : index,
      keys: /\((.*)\)\s*(?:LEFT-JOIN)?$/.exec(rest)?.[1] ?? null,
      detail,
    });
  }
  return reads;
}
