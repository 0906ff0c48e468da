import type { FormatId, FormatMapper } from '../model';
import { azureMapper } from './azure';
import { cur2Mapper, curMapper } from './cur';
import { focusMapper } from './focus';
import { gcpMapper } from './gcp';

/** Every format the importer knows. Detection takes the highest score; a tie is reported, never guessed. */
export const MAPPERS: readonly FormatMapper[] = [focusMapper, curMapper, cur2Mapper, azureMapper, gcpMapper];

export function mapperById(id: FormatId): FormatMapper {
  const mapper = MAPPERS.find((candidate) => candidate.id === id);
  if (!mapper) throw new Error(`no mapper for format ${id}`);
  return mapper;
}
