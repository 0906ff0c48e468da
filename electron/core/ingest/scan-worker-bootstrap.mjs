// Scan worker entry when running from source: load TypeScript through tsx, then the worker proper.
// The Electron build bundles scan-worker.ts as its own entry (ingest-worker.js) instead.
import { register } from 'tsx/esm/api';

register();
await import('./scan-worker.ts');
