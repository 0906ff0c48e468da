import { createRequire } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Command, CommanderError, Option } from 'commander';
import { AppError } from '../../shared/api/errors';
import { clockFrom, type Clock } from '../core/app/clock';
import { appVersion } from '../core/app/version';
import { loadDemoData } from '../core/demo/demo';
import { defaultWorkspaceDir, openWorkspace, workspaceExists, type Workspace } from '../core/workspace/workspace';
import { defaultRendererDir, startBrowserHost } from '../host/browser-host';
import { addAuditCommands } from './audit-commands';
import { addCostCommands } from './cost-commands';
import { EXIT, exitFor } from './exit-codes';
import { addJobCommands } from './jobs-commands';
import { addReconcileCommands } from './reconcile-commands';
import { printError, printResult, processIo, ReportedFailure, usageError, type CliIo } from './output';

interface GlobalOptions {
  workspace?: string;
  asOf?: string;
  json?: boolean;
}

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the CLI; resolves to the exit status (the table in exit-codes.ts and docs/cli.md). */
export async function main(argv: string[], io: CliIo = processIo): Promise<number> {
  let json = argv.includes('--json');
  const program = buildProgram(io, (value) => (json = value));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (
        error.code === 'commander.helpDisplayed' ||
        error.code === 'commander.version' ||
        error.code === 'commander.help'
      )
        return EXIT.ok;
      if (json) printError(io, true, new AppError('VALIDATION', error.message.replace(/^error: /, '')));
      return EXIT.usage;
    }
    if (error instanceof ReportedFailure) return error.exit;
    return exitFor(printError(io, json, error).code);
  }
}

function buildProgram(io: CliIo, setJson: (json: boolean) => void): Command {
  const program = new Command('valdrix')
    .description('Valdrix: exact multi-cloud cost data for finance teams.')
    .version(appVersion(), '-V, --version')
    .addOption(new Option('-w, --workspace <dir>', 'workspace folder (default: $VALDRIX_WORKSPACE)'))
    .addOption(
      new Option('--as-of <date>', 'fix the clock: YYYY-MM-DD or ISO timestamp (default: $VALDRIX_NOW, else now)'),
    )
    .option('--json', 'print machine-readable JSON')
    .showHelpAfterError('(run with --help for usage)')
    .configureHelp({ showGlobalOptions: true })
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
    });

  const context = (command: Command) => {
    const opts = command.optsWithGlobals<GlobalOptions>();
    setJson(!!opts.json);
    const clock = clockFrom(opts.asOf, io.env);
    const dir = opts.workspace ?? io.env.VALDRIX_WORKSPACE;
    return { opts, clock, dir, json: !!opts.json };
  };
  const requireDir = (dir: string | undefined): string => {
    if (!dir) throw usageError('no workspace given: pass --workspace DIR or set VALDRIX_WORKSPACE');
    return dir;
  };

  program
    .command('init')
    .description('create an empty workspace (one SQLite file plus logs) in the folder, or check an existing one')
    .action((_options, command: Command) => {
      const { clock, dir, json } = context(command);
      const workspace = openWorkspace(requireDir(dir), { clock, create: true });
      try {
        const value = {
          workspace: workspace.paths.dir,
          database: workspace.paths.database,
          id: workspace.meta.id,
          created: workspace.created,
          schemaVersion: workspace.store.schemaVersion,
        };
        printResult(
          io,
          json,
          value,
          `${workspace.created ? 'Created' : 'Already a workspace:'} ${workspace.paths.dir} (schema ${value.schemaVersion})`,
        );
      } finally {
        workspace.close();
      }
    });

  program
    .command('demo')
    .description(
      'create the demo workspace: 13 months of AWS, Azure and GCP costs ending yesterday (regenerates an existing demo)',
    )
    .action((_options, command: Command) => {
      const { clock, dir, json } = context(command);
      const result = createDemo(requireDir(dir), clock);
      printResult(
        io,
        json,
        result,
        [
          `Demo workspace ready: ${result.workspace}`,
          `  ${result.rows} cost lines from ${result.from} to ${result.to}`,
          `  billed ${result.totals.billed} ${result.totals.currency}, effective ${result.totals.effective} ${result.totals.currency}`,
          `  anomaly to find: ${result.anomaly.service} on ${result.anomaly.day}`,
        ].join('\n'),
      );
    });

  program
    .command('serve')
    .description('serve the app in browser mode on 127.0.0.1 and print its URL with the per-launch token')
    .option('-p, --port <n>', 'port to listen on (default: a free one)', parsePort)
    .action(async (options: { port?: number }, command: Command) => {
      const { clock, dir, json } = context(command);
      const workspace = openWorkspace(requireDir(dir), { clock });
      await serveUntilStopped(io, workspace, clock, options.port, json);
    });

  program
    .command('start')
    .description(
      'start the app: Electron when its binary and a display are available, browser mode otherwise; creates the demo workspace on first run',
    )
    .option('-p, --port <n>', 'browser mode: port to listen on', parsePort)
    .option('--browser', 'use browser mode even when Electron is available')
    .action(async (options: { port?: number; browser?: boolean }, command: Command) => {
      const { clock, dir, json } = context(command);
      const workspaceDir = dir ?? defaultWorkspaceDir(io.env);
      if (!workspaceExists(workspaceDir)) {
        const result = createDemo(workspaceDir, clock);
        io.stderr(`First run: created the demo workspace in ${result.workspace} (${result.rows} cost lines).\n`);
      }
      const electron = options.browser
        ? { path: null, why: 'browser mode requested (--browser)' }
        : findElectron(io.env);
      if (electron.path) {
        io.stderr(`Starting Electron (${electron.path}).\n`);
        const code = await runElectron(electron.path, workspaceDir, io.env);
        if (code !== 0) throw new AppError('INTERNAL', `Electron exited with code ${code}`);
        return;
      }
      io.stderr(`Starting browser mode: ${electron.why}.\n`);
      if (!fs.existsSync(path.join(defaultRendererDir(), 'index.html'))) {
        throw new AppError(
          'UNAVAILABLE',
          'the renderer is not built: run "npm run build" (npm start does this for you)',
        );
      }
      const workspace = openWorkspace(workspaceDir, { clock });
      await serveUntilStopped(io, workspace, clock, options.port, json);
    });

  const workspaceContext = (command: Command) => {
    const { clock, dir, json } = context(command);
    return { clock, dir: requireDir(dir), json };
  };
  addJobCommands(program, io, workspaceContext);
  addAuditCommands(program, io, workspaceContext, (command) => ({ json: context(command).json }));
  addCostCommands(program, io, workspaceContext);
  addReconcileCommands(program, io, workspaceContext);

  return program;
}

function parsePort(value: string): number {
  const port = Number(value);
  if (!/^\d+$/.test(value) || port < 0 || port > 65535) throw usageError(`--port: expected 0-65535, got "${value}"`);
  return port;
}

function createDemo(dir: string, clock: Clock) {
  const workspace = openWorkspace(dir, { clock, create: true, name: 'Demo workspace' });
  try {
    return loadDemoData(workspace, clock);
  } finally {
    workspace.close();
  }
}

async function serveUntilStopped(
  io: CliIo,
  workspace: Workspace,
  clock: Clock,
  port: number | undefined,
  json: boolean,
) {
  let host;
  try {
    host = await startBrowserHost({ workspace, clock, port });
  } catch (error) {
    workspace.close();
    const message =
      (error as NodeJS.ErrnoException).code === 'EADDRINUSE'
        ? `port ${port} is already in use`
        : (error as Error).message;
    throw new AppError('UNAVAILABLE', `cannot start browser mode: ${message}`);
  }
  const { bridge } = host;
  printResult(
    io,
    json,
    {
      url: bridge.launchUrl,
      origin: bridge.url,
      port: bridge.port,
      token: bridge.token,
      workspace: workspace.paths.dir,
    },
    `Valdrix is running in browser mode on ${workspace.paths.dir}\nOpen ${bridge.launchUrl}\n(the token in the link is new for each launch; press Ctrl+C to stop)`,
  );
  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  await host.close();
  workspace.close();
}

/** The Electron binary when it is installed and a display exists; otherwise why not. */
function findElectron(env: NodeJS.ProcessEnv): { path: string | null; why: string } {
  let binary: string;
  try {
    binary = createRequire(import.meta.url)('electron') as string;
  } catch {
    return {
      path: null,
      why: "Electron's binary is not installed (it was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD or allowScripts)",
    };
  }
  if (typeof binary !== 'string' || !fs.existsSync(binary))
    return { path: null, why: "Electron's binary is not installed" };
  if (process.platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY) {
    return { path: null, why: 'there is no display (DISPLAY and WAYLAND_DISPLAY are unset)' };
  }
  if (!fs.existsSync(path.join(REPO_ROOT, 'out', 'main', 'index.js'))) {
    return { path: null, why: 'the Electron main bundle is not built (run "npm run build")' };
  }
  return { path: binary, why: '' };
}

function runElectron(binary: string, workspaceDir: string, env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(binary, [REPO_ROOT], { stdio: 'inherit', env: { ...env, VALDRIX_WORKSPACE: workspaceDir } });
    child.on('error', reject);
    child.on('exit', (code) => resolve(code ?? 1));
  });
}
