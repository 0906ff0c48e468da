/**
 * Text that came from a file or a user, made safe to show: control characters escaped (a header with
 * terminal escape sequences must not drive the terminal it is printed on) and excerpts bounded (a
 * 200 MB field must not become a 200 MB error message or audit event).
 */

/** The longest excerpt of file content a message or audit event quotes, in characters. */
export const MAX_EXCERPT = 200;

// C0 controls, DEL, C1 controls (ESC's 8-bit twin U+009B starts CSI sequences too), and the Unicode
// bidirectional overrides and isolates that reorder what a terminal shows ("Trojan source").
// eslint-disable-next-line no-control-regex
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex
const UNSAFE_TEST = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** Control and reordering characters as visible escapes (`\x1b`, `\n`, `\u202e`); other text unchanged. */
export function escapeControl(text: string): string {
  if (!UNSAFE_TEST.test(text)) return text;
  return text.replace(UNSAFE, (char) => {
    const named = NAMED[char];
    if (named) return named;
    const code = char.charCodeAt(0);
    return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
  });
}

/**
 * At most `max` characters of `text` with control characters escaped, and, when cut, how long the
 * whole text is. Reads only the start of a long text, so its cost does not grow with the text.
 */
export function excerpt(text: string, max = MAX_EXCERPT): string {
  // Escaping at most quadruples a character; more than max characters of input can never be shown.
  const shown = escapeControl(text.slice(0, max + 1));
  if (text.length <= max && shown.length <= max) return shown;
  return `${shown.slice(0, max)}… (${text.length.toLocaleString('en-US')} characters in all)`;
}

/** The longest error message built from file content, in characters (its quoted parts are excerpts already). */
export const MAX_MESSAGE = 1000;

/** An error message that may quote file content: control characters escaped, length bounded. */
export function boundedMessage(message: string): string {
  return excerpt(message, MAX_MESSAGE);
}

/**
 * A copy of a string that no longer points into the text it was cut from. Parsers hand out fields as
 * V8 "sliced strings" of their 1 MiB input chunks; keeping one such field alive (a cache key, a
 * snapshot's account id) keeps its whole chunk alive. Anything held beyond a row goes through here
 * (measured: 3 GiB of retained chunks on the 3.4 GB benchmark file without it).
 */
export function detach(text: string): string {
  // Concatenation then slicing makes V8 flatten into a fresh string; the slice refers to that copy.
  return (' ' + text).slice(1);
}
