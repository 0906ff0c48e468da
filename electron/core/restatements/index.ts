/** Restatements: what imports changed, ranked by how much they moved the bill. */
export * from './page';
export { createRestatementServices, restatementsHandlers, type RestatementServices } from './service';
