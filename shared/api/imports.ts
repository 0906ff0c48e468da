/** The ingest capability's contract slice: detect, start, list, grant paths, held imports. */
import { z } from 'zod';
import {
  DetectedFileSchema,
  ImportDetectInputSchema,
  ImportResultSchema,
  ImportRunSchema,
  ImportStartInputSchema,
} from './costs';
import { JobSchema } from './jobs';
import { NoInputSchema } from './schemas';

export const importsChannels = {
  /** Detects each file's export format from its header, without importing. */
  'imports.detect': { input: ImportDetectInputSchema, output: z.array(DetectedFileSchema) },
  /** Starts an import job (all or nothing); progress and the result come through the job. */
  'imports.start': { input: ImportStartInputSchema, output: JobSchema },
  /** Import runs, newest first, with their summaries. */
  'imports.list': {
    input: z.strictObject({ limit: z.number().int().min(1).max(500).default(50) }),
    output: z.array(ImportRunSchema),
  },
  /**
   * Lets imports read a file or folder the user typed and confirmed (browser mode reads nothing else
   * but uploads); audited. Returns its real path and whether it is a file or a folder.
   */
  'imports.grantPath': {
    input: z.strictObject({ path: ImportDetectInputSchema.shape.paths.element }),
    output: z.object({ path: z.string(), kind: z.enum(['file', 'folder']) }),
  },
  /** Imports held by the replacement guard, newest first, each with why and a preview in money. */
  'imports.held': { input: NoInputSchema, output: z.array(ImportResultSchema) },
  /** Publishes a held import as it was read (audited: costs.import_accepted). */
  'imports.accept': { input: z.strictObject({ runId: z.string().min(1).max(40) }), output: ImportResultSchema },
  /** Discards a held import: nothing is published (audited: costs.import_discarded). */
  'imports.discard': {
    input: z.strictObject({ runId: z.string().min(1).max(40) }),
    output: z.object({ runId: z.string(), status: z.literal('discarded') }),
  },
} as const;
