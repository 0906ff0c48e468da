/** Small stroke icons (16px grid) drawn inline: the app ships offline with no icon font. */
const PATHS = {
  overview: 'M2 2h5v5H2zM9 2h5v3H9zM9 7h5v7H9zM2 9h5v5H2z',
  explorer: 'M2 13.5h12M4 11V7M7.5 11V4M11 11V8.5',
  import: 'M8 2v8M5 7l3 3 3-3M2.5 11v2.5h11V11',
  export: 'M8 10V2M5 5l3-3 3 3M2.5 11v2.5h11V11',
  reconciliation: 'M3 5h10M10.5 2.5 13 5l-2.5 2.5M13 11H3M5.5 8.5 3 11l2.5 2.5',
  allocation: 'M8 2v4M8 6 3.5 10v3.5M8 6l4.5 4v3.5M8 6v7.5',
  forecasts: 'M2 13 6 8.5l3 2.5 5-7M11 4h3v3',
  anomalies: 'M8 2.5 14 13.5H2zM8 6.5v3.5M8 11.8v.2',
  jobs: 'M2.5 4h11M2.5 8h11M2.5 12h7',
  audit: 'M4 2h6l2.5 2.5V14H4zM6 7h4.5M6 9.5h4.5M6 12h3',
  diagnostics: 'M1.5 8.5h3l2-5 3 9 2-4h3',
  settings:
    'M8 5.5a2.5 2.5 0 1 0 0 5 2.5 2.5 0 0 0 0-5zM8 1.5v2M8 12.5v2M1.5 8h2M12.5 8h2M3.4 3.4l1.4 1.4M11.2 11.2l1.4 1.4M3.4 12.6l1.4-1.4M11.2 4.8l1.4-1.4',
  sun: 'M8 5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM8 1v1.5M8 13.5V15M1 8h1.5M13.5 8H15M3 3l1 1M12 12l1 1M3 13l1-1M12 4l1-1',
  moon: 'M13.5 9.5A5.5 5.5 0 0 1 6.5 2.5a5.5 5.5 0 1 0 7 7z',
  clock: 'M8 2a6 6 0 1 0 0 12A6 6 0 0 0 8 2zM8 4.5V8l2.5 1.5',
  close: 'M4 4l8 8M12 4l-8 8',
  check: 'M3 8.5l3 3 7-7',
  shield: 'M8 1.5l5.5 2v4.2c0 3.2-2.3 5.8-5.5 6.8-3.2-1-5.5-3.6-5.5-6.8V3.5z',
  restatements: 'M3 3.5h7l2.5 2.5v7.5H3zM5.5 8h5M5.5 10.5h3M9.5 6.5l1.5 1.5-1.5 1.5',
  bell: 'M4 11V7.5a4 4 0 0 1 8 0V11l1 1.5H3zM6.5 14h3',
  filter: 'M2.5 3h11L9.5 8v4.5l-3 1.5V8z',
  folder: 'M2 4.5V13h12V6H7.5L6 4.5z',
  file: 'M4 2h5.5L12 4.5V14H4zM9.5 2v2.5H12',
  download: 'M8 2v8M5 7l3 3 3-3M2.5 11v2.5h11V11',
  key: 'M10.5 2.5a3 3 0 1 0 0 6 3 3 0 0 0 0-6zM8.4 7.6 2.5 13.5M4.5 11.5l2 2M6.3 9.7l1.5 1.5',
} as const;

export type IconName = keyof typeof PATHS;

export function Icon({ name, size = 16, className }: { name: IconName; size?: number; className?: string }) {
  return (
    <svg
      className={className ? `icon ${className}` : 'icon'}
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.4}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}
