import type { FormatId, FormatMapper } from '../model';
import { focusMapper } from './focus';

/** Every format the importer knows, in detection order (ties are reported, never guessed). */
export const MAPPERS: readonly FormatMapper[] = [focusMapper];

export function mapperById(id: FormatId): FormatMapper {
  const mapper = MAPPERS.find((candidate) => candidate.id === id);
  if (!mapper) throw new Error(`no mapper for format ${id}`);
  return mapper;
}
