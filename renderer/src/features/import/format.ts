import type { FormatChoice, FormatId } from '../../../../shared/api/formats';

export type { FormatChoice, FormatId };

/** How each export format is named for people. */
export const FORMAT_LABELS: Record<FormatId, string> = {
  focus: 'FOCUS',
  cur: 'AWS CUR',
  cur2: 'AWS CUR 2.0',
  azure: 'Azure cost export',
  gcp: 'Google Cloud billing export',
};

export const FORMAT_CHOICES: readonly { value: FormatChoice; label: string }[] = [
  { value: 'auto', label: 'Detect from the header' },
  { value: 'focus', label: FORMAT_LABELS.focus },
  { value: 'cur', label: FORMAT_LABELS.cur },
  { value: 'cur2', label: FORMAT_LABELS.cur2 },
  { value: 'azure', label: FORMAT_LABELS.azure },
  { value: 'gcp', label: FORMAT_LABELS.gcp },
];

export function formatLabel(format: string | null): string {
  if (format === null) return 'Unknown';
  return FORMAT_LABELS[format as FormatId] ?? format;
}

/**
 * A path as people may see it. Browser mode keeps dropped files in the workspace's upload folder
 * (uploads/<batch>/…, the bridge's layout): that folder is Valdrix's business, so only the path inside
 * it is shown ("bad-rows.csv", "cur-export/data.csv"). Other paths are the user's own and shown whole.
 */
export function shownPath(path: string): string {
  const inUpload = /^.*[\\/]uploads[\\/][A-Za-z0-9_-]{8,64}[\\/](.+)$/.exec(path);
  return inUpload ? inUpload[1]!.replace(/\\/g, '/') : path;
}

/** The last segment of a path, for either separator. */
export function baseName(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return cut === -1 ? path : path.slice(cut + 1);
}

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'] as const;

/** A byte count for people ("1.4 MB"); sizes, not money. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 0) return '—';
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < UNITS.length - 1) {
    value /= 1024;
    unit++;
  }
  const digits = unit === 0 || value >= 100 ? 0 : value >= 10 ? 1 : 2;
  return `${value.toFixed(digits)} ${UNITS[unit]}`;
}

/** An absolute path on Linux, macOS or Windows (what the core accepts). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}
