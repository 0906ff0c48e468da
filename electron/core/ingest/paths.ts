/** Which files an import reads: the paths given, folders walked, manifests obeyed. */
import fs from 'node:fs';
import path from 'node:path';
import { importError } from './types';

const DATA_FILE = /\.(csv|csv\.gz|gz|json|jsonl|ndjson|jsonl\.gz|parquet)$/i;

/**
 * Files to read: folders are walked (symbolic links followed, each real folder once, so a link back to
 * a parent ends instead of looping); manifests choose their data files; other files are skipped.
 */
export async function expandImportPaths(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const given of paths) {
    const stat = await fs.promises.stat(given).catch((error: NodeJS.ErrnoException) => {
      throw importError('NOT_FOUND', unreachableReason(error), { file: given });
    });
    if (stat.isFile()) {
      files.push(given);
      continue;
    }
    const found = (await walkFolder(given)).sort();
    const manifests = found.filter((file) => /manifest\.json$/i.test(file));
    const data = found.filter((file) => !manifests.includes(file) && DATA_FILE.test(file));
    // A manifest chooses among the files of its own folder (and below) only, and only when it names
    // some that are present: a copied folder whose manifest lists other files still imports what is here.
    const excluded = new Set<string>();
    for (const manifest of manifests) {
      const folder = path.dirname(manifest);
      const listed = new Set((await manifestDataFiles(manifest)).map((key) => path.basename(key)));
      const governed = data.filter((file) => file.startsWith(`${folder}${path.sep}`));
      const named = governed.filter((file) => listed.has(path.basename(file)));
      if (named.length) for (const file of governed) if (!named.includes(file)) excluded.add(file);
    }
    const chosen = data.filter((file) => !excluded.has(file));
    if (chosen.length === 0) throw importError('NOT_FOUND', 'the folder holds no export files', { file: given });
    files.push(...chosen);
  }
  return files;
}

/** Why a path cannot be opened, in words: "no such file" is only one of the reasons. */
function unreachableReason(error: NodeJS.ErrnoException): string {
  switch (error.code) {
    case 'ENOENT':
      return 'no such file or folder';
    case 'ELOOP':
      return 'a loop of symbolic links: the link points back at itself';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied: Valdrix cannot read it';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'ENAMETOOLONG':
      return 'the path is too long';
    default:
      return `cannot be opened (${error.code ?? error.message})`;
  }
}

/**
 * Every file under a folder, following symbolic links to files and folders. A link that cannot be
 * followed is an error when its name says it is an export (it would silently drop data); other names
 * are ignored like any other file that is not an export.
 */
async function walkFolder(root: string): Promise<string[]> {
  const files: string[] = [];
  const seen = new Set<string>();
  const walk = async (folder: string): Promise<void> => {
    const real = await fs.promises.realpath(folder);
    if (seen.has(real)) return;
    seen.add(real);
    const entries = await fs.promises.readdir(folder, { withFileTypes: true });
    for (const entry of entries) {
      const full = path.join(folder, entry.name);
      if (entry.isFile()) files.push(full);
      else if (entry.isDirectory()) await walk(full);
      else if (entry.isSymbolicLink()) {
        const target = await fs.promises.stat(full).catch((error: NodeJS.ErrnoException) => error);
        if (target instanceof Error) {
          if (DATA_FILE.test(entry.name)) {
            throw importError('NOT_FOUND', `a symbolic link that cannot be followed: ${unreachableReason(target)}`, {
              file: full,
            });
          }
        } else if (target.isFile()) files.push(full);
        else if (target.isDirectory()) await walk(full);
      }
    }
  };
  await walk(root);
  return files;
}

async function manifestDataFiles(file: string): Promise<string[]> {
  try {
    const manifest = JSON.parse(await fs.promises.readFile(file, 'utf8')) as {
      reportKeys?: unknown;
      dataFiles?: unknown;
    };
    const keys = Array.isArray(manifest.reportKeys)
      ? manifest.reportKeys
      : Array.isArray(manifest.dataFiles)
        ? manifest.dataFiles
        : [];
    return keys.filter((key): key is string => typeof key === 'string');
  } catch {
    return [];
  }
}
