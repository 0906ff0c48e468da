/** The workspace database: opening and migrating it, its schema, and writing without blocking the UI. */
export * from './database';
export * from './schema';
export * from './nonblocking';
export { startBackgroundCheckpoints, type BackgroundCheckpoints } from './background-checkpoints';
export { setWorkspaceMeta } from './meta';
