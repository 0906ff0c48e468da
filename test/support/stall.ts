/**
 * How long this thread stopped answering while `work` ran: the longest gap between 10 ms timer ticks.
 * A thread frozen in SQLite's busy handler shows as a gap of seconds.
 */
export async function worstStall<T>(work: Promise<T> | (() => Promise<T>)): Promise<{ value: T; worstMs: number }> {
  let worst = 0;
  let last = performance.now();
  const probe = setInterval(() => {
    const now = performance.now();
    worst = Math.max(worst, now - last);
    last = now;
  }, 10);
  try {
    return { value: await (typeof work === 'function' ? work() : work), worstMs: worst };
  } finally {
    clearInterval(probe);
  }
}
