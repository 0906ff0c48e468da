/**
 * Every job type the app runs and the schedules every workspace gets: a composition of each
 * capability's declarations. Worker threads load this same catalog, so a type is declared once for
 * both. A new capability adds one line here.
 */
import { AUDIT_SCHEDULES, defineAuditJobs } from './audit';
import { defineDemoJobs } from './demo';
import { defineIngestJobs } from './ingest';
import { JobRegistry } from './jobs';
import { defineWorkspaceJobs, WORKSPACE_SCHEDULES } from './workspace';

export function createJobRegistry(): JobRegistry {
  return defineWorkspaceJobs(defineIngestJobs(defineAuditJobs(defineDemoJobs(new JobRegistry()))));
}

export const DEFAULT_SCHEDULES = [...WORKSPACE_SCHEDULES, ...AUDIT_SCHEDULES] as const;
