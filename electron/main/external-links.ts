/** The one rule for links leaving the app: only https, opened in the system browser, never in a window of ours. */
export function isAllowedExternalUrl(url: string): boolean {
  try {
    return new URL(url).protocol === 'https:';
  } catch {
    return false;
  }
}
