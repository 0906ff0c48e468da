/** Importing billing exports: detect → scan → ledger. */
export * from './import';
export * from './held';
export * from './history';
export { FORMAT_IDS, MAPPING_REVISION, type FormatId, type NormalizedLine } from './model';
export { defineIngestJobs, ImportJobPayloadSchema, importTitle } from './jobs';
export { createImportServices, importsHandlers, type ImportServices } from './service';
