import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { ulid } from 'ulid';
import { AppError } from '../../../shared/api/errors';
import type { Clock } from '../app';
import { appVersion } from '../app';
import { AuditLog } from '../audit';
import { createLogger, type Logger } from '../log';
import { openStore, type Store } from '../store';
import { settingTable, workspaceMetaTable } from '../store';

export const DATABASE_FILE = 'valdrix.sqlite';

export interface WorkspacePaths {
  dir: string;
  database: string;
  logs: string;
  logFile: string;
  backups: string;
}

export interface WorkspaceMeta {
  id: string;
  name: string;
  createdAt: string;
  createdByVersion: string;
  isDemo: boolean;
}

export interface Workspace {
  paths: WorkspacePaths;
  store: Store;
  meta: WorkspaceMeta;
  /** The audit trail: every user action and data change in this workspace is recorded here. */
  audit: AuditLog;
  /** The clock it was opened with (--as-of / VALDRIX_NOW, or real time): the core reads time only from here. */
  clock: Clock;
  logger: Logger;
  close(): void;
}

export function workspacePaths(dir: string): WorkspacePaths {
  const root = path.resolve(dir);
  return {
    dir: root,
    database: path.join(root, DATABASE_FILE),
    logs: path.join(root, 'logs'),
    logFile: path.join(root, 'logs', 'valdrix.log'),
    backups: path.join(root, 'backups'),
  };
}

/** Same folder Electron's app.getPath('userData') gives for productName "Valdrix", so both modes share a workspace. */
export function defaultWorkspaceDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  const home = os.homedir();
  const userData =
    platform === 'win32'
      ? path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Valdrix')
      : platform === 'darwin'
        ? path.join(home, 'Library', 'Application Support', 'Valdrix')
        : path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'Valdrix');
  return path.join(userData, 'workspace');
}

export function workspaceExists(dir: string): boolean {
  return fs.existsSync(workspacePaths(dir).database);
}

export interface OpenWorkspaceOptions {
  clock: Clock;
  logger?: Logger;
  migrationsFolder?: string;
  /** Create the workspace when it does not exist (init, demo); otherwise it must exist. */
  create?: boolean;
  name?: string;
}

/** Opens (or with `create`, initialises) the workspace in `dir`: one SQLite file plus logs and backups beside it. */
export function openWorkspace(dir: string, options: OpenWorkspaceOptions): Workspace & { created: boolean } {
  const paths = workspacePaths(dir);
  const exists = workspaceExists(dir);
  if (!exists && !options.create) {
    throw new AppError(
      'WORKSPACE_INVALID',
      `no Valdrix workspace in ${paths.dir} (run "valdrix --workspace ${dir} init" or "valdrix --workspace ${dir} demo")`,
    );
  }
  if (fs.existsSync(paths.dir) && !fs.statSync(paths.dir).isDirectory()) {
    throw new AppError('WORKSPACE_INVALID', `${paths.dir} is not a folder`);
  }
  fs.mkdirSync(paths.dir, { recursive: true });
  const logger = options.logger ?? createLogger({ file: paths.logFile });
  const store = openStore({
    file: paths.database,
    migrationsFolder: options.migrationsFolder,
    logger,
    now: () => options.clock.now(),
  });
  try {
    const audit = new AuditLog(store, () => options.clock.stamp());
    let meta = readMeta(store);
    const created = meta === null;
    if (!meta) meta = initialiseMeta(store, audit, options.clock, options.name ?? path.basename(paths.dir));
    return {
      paths,
      store,
      meta,
      audit,
      clock: options.clock,
      logger: logger.child({ workspace: meta.id }),
      created,
      close: () => store.close(),
    };
  } catch (error) {
    store.close();
    throw error;
  }
}

function readMeta(store: Store): WorkspaceMeta | null {
  const rows = store.db.select().from(workspaceMetaTable).all();
  const map = new Map(rows.map((r) => [r.key, r.value]));
  const id = map.get('id');
  if (!id) return null;
  return {
    id,
    name: map.get('name') ?? 'Workspace',
    createdAt: map.get('created_at') ?? '',
    createdByVersion: map.get('created_by_version') ?? '',
    isDemo: map.get('is_demo') === '1',
  };
}

function initialiseMeta(store: Store, audit: AuditLog, clock: Clock, name: string): WorkspaceMeta {
  const now = clock.now().toISOString();
  const meta: WorkspaceMeta = {
    id: ulid(clock.now().getTime()),
    name,
    createdAt: now,
    createdByVersion: appVersion(),
    isDemo: false,
  };
  store.db.transaction((tx) => {
    tx.insert(workspaceMetaTable)
      .values([
        { key: 'id', value: meta.id },
        { key: 'name', value: meta.name },
        { key: 'created_at', value: meta.createdAt },
        { key: 'created_by_version', value: meta.createdByVersion },
        { key: 'is_demo', value: '0' },
      ])
      .run();
    tx.insert(settingTable)
      .values({ id: ulid(), key: 'reportingCurrency', value: 'USD', updatedAt: now })
      .onConflictDoNothing()
      .run();
    audit.record({
      action: 'workspace.created',
      entityType: 'workspace',
      entityId: meta.id,
      after: { name: meta.name },
    });
    audit.record({
      action: 'setting.changed',
      entityType: 'setting',
      entityId: 'reportingCurrency',
      before: null,
      after: 'USD',
    });
  });
  return meta;
}

export function reportingCurrency(store: Store): string {
  const row = store.db.select().from(settingTable).where(eq(settingTable.key, 'reportingCurrency')).get();
  return typeof row?.value === 'string' ? row.value : 'USD';
}
