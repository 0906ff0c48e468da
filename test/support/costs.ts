/** The one currency total of a cost answer, for tests whose data are all in one currency. */
export function soleTotal<T extends { currency: string }>(answer: { totals: readonly T[] }): T {
  // A test over one currency that finds several has found a bug: never fall back to the first.
  if (answer.totals.length !== 1)
    throw new Error(`expected one currency, found ${answer.totals.map((t) => t.currency).join(', ') || 'none'}`);
  return answer.totals[0]!;
}
