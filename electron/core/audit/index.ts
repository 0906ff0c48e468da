/** The audit trail: one API to record every user action and data change, hash-chained, exported and verified. */
export * from './audit-log';
export { checkWholeChain } from './check';
export * from './export';
export * from './signing';
export * from './verify';
export { AUDIT_SCHEDULES, defineAuditJobs } from './jobs';
export { auditHandlers, createAuditServices, type AuditServices } from './service';
