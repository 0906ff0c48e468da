/** The export formats and file containers an import reads: one list each, for the core, the contract and the screens. */
import { z } from 'zod';

import { CONTAINERS, FORMAT_IDS } from '../formats';

export { CONTAINERS, FORMAT_IDS } from '../formats';

export const FormatIdSchema = z.enum(FORMAT_IDS);
export type FormatId = z.infer<typeof FormatIdSchema>;

/** A format, or 'auto' to detect it from the header. */
export const FormatChoiceSchema = z.enum(['auto', ...FORMAT_IDS]);
export type FormatChoice = z.infer<typeof FormatChoiceSchema>;

export const ContainerSchema = z.enum(CONTAINERS);
export type Container = z.infer<typeof ContainerSchema>;
