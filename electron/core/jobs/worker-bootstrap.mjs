// Worker-thread entry when running from source: load TypeScript through tsx, then the worker proper.
// The Electron build bundles worker-thread.ts as its own entry instead.
import { register } from 'tsx/esm/api';

register();
await import('./worker-thread.ts');
