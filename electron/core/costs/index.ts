/** Cost questions over current snapshots: the Overview, grouped totals, drill-down lines, finality. */
export * from './finality';
export * from './lines';
export * from './overview';
export * from './query';
export { costsHandlers, createCostsServices, type CostsServices } from './service';
