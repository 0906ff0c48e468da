/**
 * Secret masking for logs (and, later, audit events). Values under keys that look sensitive are
 * replaced before anything is written; so are credentials embedded in strings.
 */

export const MASK = '***';

// Matched against whole words of the key (camelCase, snake_case and kebab-case split alike), so
// "password" and "clientSecret" are masked but "passed" or "tokens" counts are not.
const SENSITIVE_KEY =
  /(^|_)(password|passphrase|passwd|pwd|secret|token|api_?key|access_?key|session_?token|external_?id|client_?secret|private_?key|credit_?card|card_?number|cvv|authorization|cookie|credentials?|signature|connection_?string|sas_?token)(_|$)/;

// Each pattern with its own replacement: the callback's arguments differ with the capture groups.
const SECRET_IN_TEXT: readonly [RegExp, (...groups: string[]) => string][] = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?-----END [A-Z ]*PRIVATE KEY-----/g, () => MASK],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]+/gi, (_whole, scheme) => `${scheme} ${MASK}`],
  [
    /\b((?:access_?)?token|password|secret|api[-_]?key|client_secret|sig)=([^&\s"']+)/gi,
    (_whole, key) => `${key}=${MASK}`,
  ],
  [/\b(AKIA|ASIA)[A-Z0-9]{16}\b/g, () => MASK],
];

export function isSensitiveKey(key: string): boolean {
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_');
  return SENSITIVE_KEY.test(words);
}

export function maskText(text: string): string {
  let out = text;
  for (const [pattern, replace] of SECRET_IN_TEXT) out = out.replace(pattern, replace);
  return out;
}

/** Deep copy of `value` with sensitive keys' values and embedded credentials masked. Handles cycles. */
export function maskSecrets<T>(value: T): T {
  return maskValue(value, new WeakMap()) as T;
}

function maskValue(value: unknown, seen: WeakMap<object, unknown>): unknown {
  if (typeof value === 'string') return maskText(value);
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value);
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(maskValue(item, seen));
    return copy;
  }
  if (value instanceof Error) {
    const copy: Record<string, unknown> = { name: value.name, message: maskText(value.message) };
    seen.set(value, copy);
    if (value.stack) copy.stack = maskText(value.stack);
    for (const [k, v] of Object.entries(value)) copy[k] = isSensitiveKey(k) ? MASK : maskValue(v, seen);
    return copy;
  }
  if (value instanceof Date) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [k, v] of Object.entries(value)) {
    copy[k] = isSensitiveKey(k) && v !== null && v !== undefined && v !== '' ? MASK : maskValue(v, seen);
  }
  return copy;
}
