import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import { clockFrom } from '../core/app/clock';
import { EventBus } from '../core/app/event-bus';
import { loadDemoData } from '../core/demo/demo';
import { createLogger } from '../core/log/logger';
import { createJobSystem } from '../core/jobs/system';
import { createServices } from '../core/services';
import { openWorkspace, workspaceExists, workspacePaths, type Workspace } from '../core/workspace/workspace';
import { createHandlers } from '../host/handlers';
import { CONTENT_SECURITY_POLICY } from '../host/content-security-policy';
import { publishAuditEvents, publishExternalChanges, publishJobChanges } from '../host/job-events';
import { forwardEvents, serveIpc } from '../host/ipc';
import { HandlerRegistry, registerHandlers } from '../host/registry';
import { isAllowedExternalUrl } from './external-links';
import { keychainSecretStore } from '../core/secrets/secret-store';

// Electron glue only: lifecycle, the window and its security, menus, wiring the core to IPC.

const here = path.dirname(fileURLToPath(import.meta.url));
const rendererIndex = path.join(here, '../renderer/index.html');
const rendererBase = pathToFileURL(path.dirname(rendererIndex)).href;
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;

function isAppUrl(url: string): boolean {
  return url.startsWith(`${rendererBase}/`) || (!!devServerUrl && url.startsWith(devServerUrl));
}

function migrationsFolder(): string {
  return app.isPackaged
    ? path.join(process.resourcesPath, 'migrations')
    : path.join(app.getAppPath(), 'electron', 'core', 'store', 'migrations');
}

function hardenContents(): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      if (isAllowedExternalUrl(url)) void shell.openExternal(url);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!isAppUrl(url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 900,
    minWidth: 960,
    minHeight: 640,
    show: false,
    title: 'Valdrix',
    backgroundColor: '#0f1115',
    webPreferences: {
      preload: path.join(here, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  if (devServerUrl) void window.loadURL(devServerUrl);
  else void window.loadFile(rendererIndex);
  return window;
}

function buildMenu(): void {
  const template: Electron.MenuItemConstructorOptions[] = [
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { role: 'windowMenu' },
  ];
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return;
  }
  await app.whenReady();
  const clock = clockFrom(undefined, process.env);
  const dir = process.env.VALDRIX_WORKSPACE ?? path.join(app.getPath('userData'), 'workspace');
  const logger = createLogger({ file: workspacePaths(dir).logFile });
  let workspace: Workspace;
  try {
    const firstRun = !workspaceExists(dir);
    workspace = openWorkspace(dir, { clock, logger, create: firstRun, migrationsFolder: migrationsFolder() });
    if (firstRun) loadDemoData(workspace, clock);
  } catch (error) {
    logger.fatal({ err: error }, 'cannot open workspace');
    dialog.showErrorBox('Valdrix cannot open its workspace', `${dir}\n\n${(error as Error).message}`);
    app.exit(1);
    return;
  }

  hardenContents();
  buildMenu();
  const events = new EventBus();
  // Import jobs scan large files in this bundled worker (job workers inherit the environment).
  process.env.VALDRIX_INGEST_WORKER = path.join(here, 'ingest-worker.js');
  const jobs = createJobSystem({
    workspace,
    logger: workspace.logger,
    run: true,
    // The bundled worker entry (see electron.vite.config.ts); source mode uses the tsx bootstrap.
    runner: { workerEntry: path.join(here, 'job-worker.js') },
  });
  const stopJobEvents = publishJobChanges(jobs, events);
  const stopAuditEvents = publishAuditEvents(workspace, events);
  const stopExternalChanges = publishExternalChanges(workspace, events);
  const stopPublishing = () => {
    stopJobEvents();
    stopAuditEvents();
    stopExternalChanges();
  };
  const services = createServices({
    workspace,
    clock,
    logger: workspace.logger,
    events,
    jobs,
    secrets: keychainSecretStore(),
    mode: 'electron',
  });
  const registry = registerHandlers(new HandlerRegistry(workspace.logger), createHandlers(services));
  serveIpc({ ipcMain, registry, isTrustedFrame: isAppUrl, logger: workspace.logger });

  const open = () => {
    const window = createWindow();
    const stop = forwardEvents(events, window.webContents);
    window.on('closed', stop);
  };
  open();
  app.on('second-instance', () => BrowserWindow.getAllWindows()[0]?.focus());
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) open();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  let quitting = false;
  app.on('before-quit', (event) => {
    if (quitting) return;
    // Finish or release running jobs before the store closes.
    event.preventDefault();
    quitting = true;
    stopPublishing();
    void jobs.stop(5_000).finally(() => {
      workspace.close();
      app.quit();
    });
  });
}

void start();
