/**
 * An independent decimal adder for tests: digit strings, no bigint scaling shared with the product,
 * so a total computed here is a genuine second opinion on the importer's arithmetic.
 */

/** Expands "1.2E-7" / "-3e2" into plain decimal text. */
export function plainDecimal(text: string): string {
  const match = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text.trim());
  if (!match || (match[2] === '' && (match[3] ?? '') === '')) throw new Error(`not a decimal: ${text}`);
  const sign = match[1] === '-' ? '-' : '';
  let whole = match[2] ?? '';
  let fraction = match[3] ?? '';
  let exponent = Number(match[4] ?? 0);
  while (exponent > 0) {
    whole += fraction[0] ?? '0';
    fraction = fraction.slice(1);
    exponent--;
  }
  while (exponent < 0) {
    fraction = (whole.slice(-1) || '0') + fraction;
    whole = whole.slice(0, -1);
    exponent++;
  }
  return `${sign}${whole || '0'}.${fraction || '0'}`;
}

/** Exact sum of decimal strings, returned trimmed ("20.52022672899", "0", "-1.5"). */
export function decimalSum(values: Iterable<string>): string {
  let scale = 0;
  const parsed: { negative: boolean; whole: string; fraction: string }[] = [];
  for (const value of values) {
    const plain = plainDecimal(value);
    const negative = plain.startsWith('-');
    const [whole, fraction] = plain.replace(/^[+-]/, '').split('.') as [string, string];
    scale = Math.max(scale, fraction.length);
    parsed.push({ negative, whole, fraction });
  }
  let total = 0n;
  for (const { negative, whole, fraction } of parsed) {
    const magnitude = BigInt(whole + fraction.padEnd(scale, '0'));
    total += negative ? -magnitude : magnitude;
  }
  const negative = total < 0n;
  const digits = (negative ? -total : total).toString().padStart(scale + 1, '0');
  const whole = digits.slice(0, digits.length - scale);
  const fraction = digits.slice(digits.length - scale).replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
