import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export const CLI = fileURLToPath(new URL('../../electron/cli/valdrix.mjs', import.meta.url));
export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `valdrix` command in a child process. */
export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): CliRun {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: REPO_ROOT,
    encoding: 'utf8',
    env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '', ...env },
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** Starts `valdrix serve --json` and resolves once it printed its URL. */
export async function startServe(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{
  child: ChildProcessWithoutNullStreams;
  info: { url: string; origin: string; port: number; token: string };
}> {
  const child = spawn(process.execPath, [CLI, ...args, 'serve', '--json'], {
    cwd: REPO_ROOT,
    env: { ...process.env, VALDRIX_WORKSPACE: '', VALDRIX_NOW: '', ...env },
  });
  let out = '';
  let err = '';
  const info = await new Promise<{ url: string; origin: string; port: number; token: string }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not start: ${err}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      try {
        const parsed = JSON.parse(out) as { url: string; origin: string; port: number; token: string };
        clearTimeout(timer);
        resolve(parsed);
      } catch {
        // Not the whole JSON document yet.
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}: ${err}`));
    });
  });
  return { child, info };
}

export function stop(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

/**
 * Imports the files one after the other with the CLI, confirmed (a later export that restates most
 * lines would otherwise be held for review), and fails on the first one refused.
 */
export function importAll(
  workspace: string,
  files: readonly string[],
  env: NodeJS.ProcessEnv = {},
  extraArgs: readonly string[] = [],
): void {
  for (const file of files) {
    const run = runCli(['--workspace', workspace, 'import', '--quiet', '--confirm-replace', ...extraArgs, file], env);
    if (run.status !== 0) throw new Error(`importing ${file} exited with ${run.status}: ${run.stderr}`);
  }
}
