import fs from 'node:fs';

declare const __VALDRIX_VERSION__: string | undefined;

let cached: string | undefined;

/** The app version: injected at build time for Electron, read from package.json when running from source. */
export function appVersion(): string {
  if (cached) return cached;
  if (typeof __VALDRIX_VERSION__ === 'string') return (cached = __VALDRIX_VERSION__);
  const pkg = JSON.parse(fs.readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as {
    version: string;
  };
  return (cached = pkg.version);
}
