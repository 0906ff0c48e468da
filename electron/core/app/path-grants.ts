import fs from 'node:fs';
import path from 'node:path';
import { AppError } from '../../../shared/api/errors';

/** A file or folder on this computer, by its real path (no symbolic links, no "." or ".."). */
export interface LocalPath {
  path: string;
  kind: 'file' | 'folder';
}

/**
 * Which local files an import may read. Electron and the CLI read what the user picked with the
 * system's dialogs or typed on their own machine; browser mode reads only what was uploaded through
 * the bridge or typed and confirmed on the Import screen, since anything holding the bridge's token
 * could otherwise read every file the user can.
 */
export interface ImportPathPolicy {
  /**
   * Resolves when every path may be read, and every file `expand` finds in the folders among them
   * (folder walks follow symbolic links), to the real paths of `paths` (null when the policy reads
   * paths as given: Electron, CLI). Throws FORBIDDEN, saying what to do, otherwise.
   */
  check(paths: readonly string[], expand?: (paths: readonly string[]) => Promise<string[]>): Promise<string[] | null>;
  /** The real path and kind of a typed path; NOT_FOUND when nothing is there, FORBIDDEN when it cannot be imported. */
  resolve(typed: string): Promise<LocalPath>;
  /** Lets imports read it (a folder: everything inside it) for as long as this policy lives. */
  allow(target: LocalPath): void;
}

/** Electron and the CLI: any path the user gives. */
export function anyLocalPath(): ImportPathPolicy {
  return { check: async () => null, resolve: resolveLocalPath, allow: () => undefined };
}

/**
 * Browser mode: paths inside `roots` (the bridge's upload folder) and those allowed since this policy
 * was made. Paths are compared by their real paths, so ".." and symbolic links cannot leave an allowed
 * folder; a path that does not exist is judged by its nearest existing folder.
 */
export function chosenPathsOnly(options: { roots: readonly string[] }): ImportPathPolicy {
  const granted = new Map<string, LocalPath['kind']>();
  const allowed = async (real: string) => {
    for (const root of options.roots) {
      const realRoot = await realPath(root);
      if (realRoot !== null && isInside(real, realRoot)) return true;
    }
    for (const [grant, kind] of granted) if (kind === 'folder' ? isInside(real, grant) : real === grant) return true;
    return false;
  };
  const refuse = (given: string, why: string) =>
    new AppError('FORBIDDEN', `${shorten(given)} ${why}: choose the file on the Import screen or confirm its path`, {
      path: shorten(given),
    });
  return {
    async check(paths, expand) {
      // The paths themselves first: a folder that was not chosen is never walked.
      const reals: string[] = [];
      for (const given of paths) {
        const real = await realPath(given);
        if (real === null || !(await allowed(real))) throw refuse(given, 'was not chosen for import in this session');
        reals.push(real);
      }
      if (expand) {
        for (const file of await expand(reals)) {
          const real = await realPath(file);
          if (real === null || !(await allowed(real))) throw refuse(file, 'leads outside the files and folders chosen');
        }
      }
      return reals;
    },
    resolve: resolveLocalPath,
    allow: (target) => void granted.set(target.path, target.kind),
  };
}

/** The policy for a mode, when a host does not inject one: browser mode reads only its workspace's uploads. */
export function defaultImportPaths(mode: 'electron' | 'browser', workspaceDir: string): ImportPathPolicy {
  return mode === 'browser' ? chosenPathsOnly({ roots: [path.join(workspaceDir, 'uploads')] }) : anyLocalPath();
}

/** Kernel and device file systems: reading them can hang (a pipe, /dev/zero) or leak process secrets. */
const SYSTEM_FOLDERS = process.platform === 'linux' ? ['/proc', '/sys', '/dev'] : ['/dev'];

async function resolveLocalPath(typed: string): Promise<LocalPath> {
  const refuse = (code: 'NOT_FOUND' | 'FORBIDDEN', message: string) =>
    new AppError(code, message, { path: shorten(typed) });
  let real: string;
  let stat: fs.Stats;
  try {
    real = await fs.promises.realpath(typed);
    stat = await fs.promises.stat(real);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR')
      throw refuse('NOT_FOUND', `there is no file or folder at ${shorten(typed)}`);
    throw refuse('FORBIDDEN', `${shorten(typed)} cannot be read (${code ?? 'error'})`);
  }
  const kind = stat.isFile() ? 'file' : stat.isDirectory() ? 'folder' : null;
  if (kind === null) throw refuse('FORBIDDEN', `${shorten(typed)} is neither a file nor a folder`);
  if (path.parse(real).root === real || SYSTEM_FOLDERS.some((folder) => isInside(real, folder)))
    throw refuse('FORBIDDEN', `Valdrix does not import from ${shorten(real)}: choose the folder holding the exports`);
  return { path: real, kind };
}

/**
 * The real path, resolved by the operating system (symbolic links and ".." in the order it reads
 * them); for a missing file, its folder's real path and its name. Null when it cannot be resolved.
 */
async function realPath(given: string): Promise<string | null> {
  try {
    return await fs.promises.realpath(given);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return null;
    const name = path.basename(given);
    const folder = path.dirname(given);
    if (name === '..' || name === '.' || folder === given) return null;
    const realFolder = await realPath(folder);
    return realFolder === null ? null : path.join(realFolder, name);
  }
}

function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (relative !== '..' && !relative.startsWith(`..${path.sep}`) && !path.isAbsolute(relative));
}

function shorten(text: string): string {
  return text.length > 300 ? `${text.slice(0, 150)}…${text.slice(-100)}` : text;
}
