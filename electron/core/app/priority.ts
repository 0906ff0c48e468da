import os from 'node:os';

/** The nice value bulk work runs at: below the app that answers the user, above idle work. */
export const BACKGROUND_NICE = 10;

/**
 * Lowers the CPU priority of bulk work (an import parses and writes on every core it gets) so that the
 * app answering the user stays responsive while it runs; on an otherwise idle machine it runs as fast.
 * On Linux a priority belongs to a thread, and threads it starts inherit it, so a worker thread can
 * lower itself alone. Elsewhere it belongs to the whole process, so only a process that does nothing
 * but the bulk work (the CLI's import) may lower itself: `scope` says which the caller is.
 */
export function yieldCpuToInteractiveWork(scope: 'thread' | 'process'): boolean {
  if (scope === 'thread' && process.platform !== 'linux') return false;
  try {
    if (os.getPriority() >= BACKGROUND_NICE) return true;
    os.setPriority(BACKGROUND_NICE);
    return true;
  } catch {
    // Not allowed (some sandboxes): the work runs at normal priority.
    return false;
  }
}
