/** The demo workspace: generated costs written through the ledger, and a long job to show progress. */
export * from './demo';
export * from './generator';
export { DemoLongPayloadSchema, defineDemoJobs } from './jobs';
