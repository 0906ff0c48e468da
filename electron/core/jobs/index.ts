/**
 * Background work as declared jobs: the registry capabilities declare their types in, the queue, and
 * the jobs screen's services. The job system itself (createJobSystem in system.ts) is built by hosts
 * from the top-level catalog.
 */
export * from './registry';
export * from './types';
export * from './queue';
export { toAttemptView, toJobView } from './view';
export { createJobServices, jobsHandlers, type JobServices } from './service';
