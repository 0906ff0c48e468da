/**
 * Turning what the user picked or dropped into paths the core can import. Electron knows every file's
 * path (folders included); a browser does not, so browser mode uploads the files to the workspace first
 * (lib/api filesToPaths), keeping a folder's layout so a CUR manifest still finds its data files.
 */
import { filesToPaths, transportKind } from '../../lib/api';
import { baseName } from './format';

/** One thing to import: a file or a folder (the core walks folders). */
export interface ImportSource {
  path: string;
  label: string;
  kind: 'file' | 'folder';
  /** Bytes, when known (picked files); folders count their files instead. */
  size: number | null;
  /** Files in a picked folder; null when not counted (a typed folder: the core walks it when detecting). */
  files: number | null;
}

/** A file with the path it had inside a picked or dropped folder ('' when picked on its own). */
function relativePathOf(file: File): string {
  return file.webkitRelativePath ?? '';
}

/** The folder a file was picked from: its path without the segments below the top folder. */
export function folderRoot(path: string, relativePath: string): string {
  let root = path;
  const depth = relativePath.split('/').filter(Boolean).length;
  for (let i = 1; i < depth; i++) {
    const cut = Math.max(root.lastIndexOf('/'), root.lastIndexOf('\\'));
    if (cut <= 0) break;
    root = root.slice(0, cut);
  }
  return root;
}

/**
 * Paths for the picked files. Files that came from a folder are imported as that folder (one source),
 * so the core can read a CUR manifest and skip what is not an export.
 */
export async function prepareSources(
  files: readonly File[],
  onProgress?: (done: number, total: number) => void,
): Promise<ImportSource[]> {
  const paths = await filesToPaths(files, onProgress);
  const sources: ImportSource[] = [];
  const folders = new Map<string, ImportSource>();
  files.forEach((file, index) => {
    const path = paths[index];
    if (path === undefined) return;
    const relative = relativePathOf(file);
    if (relative.includes('/')) {
      const root = folderRoot(path, relative);
      const folder = folders.get(root);
      if (folder) {
        folder.files = (folder.files ?? 0) + 1;
        return;
      }
      const created: ImportSource = { path: root, label: baseName(root), kind: 'folder', size: null, files: 1 };
      folders.set(root, created);
      sources.push(created);
      return;
    }
    sources.push({ path, label: file.name || baseName(path), kind: 'file', size: file.size, files: 1 });
  });
  return sources;
}

/** A typed-in path the user confirmed in browser mode, as the core resolved it (real path, file or folder). */
export function sourceFromGrant(granted: { path: string; kind: 'file' | 'folder' }): ImportSource {
  const files = granted.kind === 'file' ? 1 : null;
  return { path: granted.path, label: baseName(granted.path) || granted.path, kind: granted.kind, size: null, files };
}

/** A typed-in path (Electron): the core checks it when detecting. */
export function sourceFromPath(path: string): ImportSource {
  const trimmed = path.trim().replace(/[\\/]+$/, '') || path.trim();
  return { path: trimmed, label: baseName(trimmed) || trimmed, kind: 'file', size: null, files: 1 };
}

/**
 * The files of a drop. Electron resolves a dropped folder to its path directly. A browser only hands over
 * folder entries, so they are walked here and each file keeps its path inside the folder for the upload.
 */
export async function filesFromDrop(data: DataTransfer): Promise<File[]> {
  if (transportKind() === 'electron') return [...data.files];
  const entries = [...data.items]
    .filter((item) => item.kind === 'file')
    .map((item) => item.webkitGetAsEntry())
    .filter((entry): entry is FileSystemEntry => entry !== null);
  if (entries.length === 0) return [...data.files];
  const files: File[] = [];
  for (const entry of entries) await collect(entry, files);
  return files;
}

async function collect(entry: FileSystemEntry, into: File[]): Promise<void> {
  if (entry.isFile) {
    const file = await new Promise<File>((resolve, reject) => (entry as FileSystemFileEntry).file(resolve, reject));
    const relative = entry.fullPath.replace(/^\/+/, '');
    if (relative.includes('/')) {
      // webkitRelativePath is read-only and empty for dropped files; filesToPaths reads it to keep the layout.
      Object.defineProperty(file, 'webkitRelativePath', { value: relative });
    }
    into.push(file);
    return;
  }
  if (!entry.isDirectory) return;
  const reader = (entry as FileSystemDirectoryEntry).createReader();
  // readEntries answers in batches until it returns an empty one.
  for (;;) {
    const batch = await new Promise<FileSystemEntry[]>((resolve, reject) => reader.readEntries(resolve, reject));
    if (batch.length === 0) break;
    for (const child of batch) await collect(child, into);
  }
}
