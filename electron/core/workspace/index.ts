/** The open workspace: its folder, database, audit log, logger and clock, its settings and maintenance. */
export * from './workspace';
export { setWorkspaceMeta } from '../store';
export * from './external-changes';
export { defineWorkspaceJobs, removeOldUploads, UPLOAD_RETENTION_MS, WORKSPACE_SCHEDULES } from './jobs';
export { appHandlers, createAppServices, type AppServices } from './app-service';
