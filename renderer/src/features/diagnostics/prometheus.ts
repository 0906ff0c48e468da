/** One sample of a Prometheus text exposition: `name{label="value",…} value [timestamp]`. */
export interface MetricSample {
  name: string;
  labels: [name: string, value: string][];
  /** As written: "12", "0.25", "NaN", "+Inf". Shown, never computed with. */
  value: string;
}

export interface ParsedMetrics {
  samples: MetricSample[];
  /** `# HELP` text by metric family name. */
  help: Map<string, string>;
  /** Lines that could not be read, for a hint rather than a failure. */
  invalid: string[];
}

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*/;
const LABEL_NAME = /^[a-zA-Z_][a-zA-Z0-9_]*/;
const ESCAPES: Record<string, string> = { '\\': '\\', '"': '"', n: '\n' };

/**
 * Reads Prometheus text format (0.0.4) into samples. Comment lines are skipped except `# HELP`, kept to
 * describe each family; a malformed line is set aside instead of failing the whole page.
 */
export function parsePrometheusText(text: string): ParsedMetrics {
  const samples: MetricSample[] = [];
  const help = new Map<string, string>();
  const invalid: string[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line === '') continue;
    if (line.startsWith('#')) {
      const match = /^#\s*HELP\s+(\S+)\s?(.*)$/.exec(line);
      if (match?.[1]) help.set(match[1], unescapeHelp(match[2] ?? ''));
      continue;
    }
    const sample = parseSample(line);
    if (sample) samples.push(sample);
    else invalid.push(line);
  }
  return { samples, help, invalid };
}

function parseSample(line: string): MetricSample | null {
  const name = NAME.exec(line)?.[0];
  if (!name) return null;
  let rest = line.slice(name.length);
  const labels: [string, string][] = [];
  if (rest.startsWith('{')) {
    rest = rest.slice(1);
    for (;;) {
      rest = rest.trimStart();
      if (rest.startsWith('}')) {
        rest = rest.slice(1);
        break;
      }
      const labelName = LABEL_NAME.exec(rest)?.[0];
      if (!labelName) return null;
      rest = rest.slice(labelName.length).trimStart();
      if (!rest.startsWith('="') && !rest.startsWith('= "')) return null;
      rest = rest.slice(rest.indexOf('"') + 1);
      let value = '';
      let closed = false;
      let i = 0;
      for (; i < rest.length; i++) {
        const ch = rest[i];
        if (ch === '\\') {
          const next = rest[i + 1] ?? '';
          value += ESCAPES[next] ?? `\\${next}`;
          i++;
        } else if (ch === '"') {
          closed = true;
          break;
        } else {
          value += ch;
        }
      }
      if (!closed) return null;
      labels.push([labelName, value]);
      rest = rest.slice(i + 1).trimStart();
      if (rest.startsWith(',')) rest = rest.slice(1);
      else if (!rest.startsWith('}')) return null;
    }
  }
  // A value, then an optional timestamp that the table does not show.
  const [value] = rest.trim().split(/\s+/);
  if (!value || !/^([+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?|[+-]?Inf|NaN)$/.test(value)) return null;
  return { name, labels, value };
}

function unescapeHelp(text: string): string {
  return text.replace(/\\([\\n])/g, (_, ch: string) => (ch === 'n' ? '\n' : '\\'));
}

/** The family a sample belongs to: a summary's or histogram's `_sum`, `_count` and `_bucket` share its help. */
export function metricFamily(name: string, help: ReadonlyMap<string, string>): string {
  if (help.has(name)) return name;
  const base = name.replace(/_(sum|count|bucket|total)$/, '');
  return help.has(base) ? base : name;
}
