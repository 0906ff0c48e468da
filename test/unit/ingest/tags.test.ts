import { describe, expect, it } from 'vitest';
import { parseTags, sharedTags, TAGS_JSON } from '../../../electron/core/ingest/formats/common';
import { RowError } from '../../../electron/core/ingest/model';

const jsonOf = (tags: object) => (tags as { [TAGS_JSON]?: string })[TAGS_JSON];

describe('sharedTags', () => {
  it('reads tags whose text differs on every row the same as repeated ones, each with its canonical JSON', () => {
    // Past the first window of unique texts the cache steps aside: the answers must not change.
    for (let row = 0; row < 20_000; row++) {
      const text = row % 3 ? `{"team": "t${row}", "env":"prod"}` : '{"team":"shared","env":"prod"}';
      const tags = sharedTags(text, 'Tags');
      const expected = row % 3 ? { team: `t${row}`, env: 'prod' } : { team: 'shared', env: 'prod' };
      expect(tags).toEqual(expected);
      expect(jsonOf(tags)).toBe(JSON.stringify(expected));
      expect(Object.isFrozen(tags)).toBe(true);
    }
  });

  it('turns values into strings and trims keys, and keeps the JSON out of what the tags enumerate', () => {
    const tags = sharedTags('{" team ":"a","count":3,"on":true,"none":null}', 'Tags');
    expect(tags).toEqual({ team: 'a', count: '3', on: 'true', none: '' });
    expect(Object.keys(tags)).toEqual(['team', 'count', 'on', 'none']);
    expect(JSON.stringify(tags)).toBe(jsonOf(tags));
    expect({ ...parseTags('{"a":"1"}', 'Tags') }).toEqual({ a: '1' });
  });

  it('fails on a text that is not tags every time it is met, naming the column', () => {
    for (let row = 0; row < 3; row++) {
      expect(() => sharedTags('{"team":', 'Tags')).toThrow(RowError);
      expect(() => sharedTags('{"team":', 'resourceTags')).toThrow(/"resourceTags" is not a tag object/);
    }
  });
});
