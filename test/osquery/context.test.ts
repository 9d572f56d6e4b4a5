import { describe, expect, it } from 'vitest';
import { parseQueryContext, QueryContextError } from '../../src/osquery/context';

describe('parseQueryContext', () => {
  it('reads osqueryd constraints per column', () => {
    const ctx = parseQueryContext(
      '{"constraints":[{"name":"pid","list":[{"op":2,"expr":"123"},{"op":2,"expr":"7"}],' +
        '"affinity":"INTEGER"},{"name":"time","list":[{"op":32,"expr":"100"}],"affinity":"BIGINT"}],' +
        '"colsUsed":["pid"]}',
    );
    expect(ctx.constraints.get('pid')).toEqual([
      { op: 2, expr: '123' },
      { op: 2, expr: '7' },
    ]);
    expect(ctx.constraints.get('time')).toEqual([{ op: 32, expr: '100' }]);
  });

  it.each([
    ['an empty-string list', '{"constraints":[{"name":"pid","list":"","affinity":"INTEGER"}]}'],
    ['an empty list', '{"constraints":[{"name":"pid","list":[],"affinity":"INTEGER"}]}'],
    ['no constraints key', '{"colsUsed":[]}'],
    ['empty text', ''],
    ['no context at all', undefined],
  ])('treats %s as no constraints', (_name, text) => {
    expect(parseQueryContext(text).constraints.size).toBe(0);
  });

  it('accepts string ops (older osquery) and numeric exprs', () => {
    const ctx = parseQueryContext('{"constraints":[{"name":"pid","list":[{"op":"2","expr":5}]}]}');
    expect(ctx.constraints.get('pid')).toEqual([{ op: 2, expr: '5' }]);
  });

  it.each([
    ['text that is not JSON', '{"constraints":'],
    ['a JSON array', '[]'],
    ['constraints that are not a list', '{"constraints":{}}'],
    ['a constraint without a name', '{"constraints":[{"list":[]}]}'],
    ['a list that is a number', '{"constraints":[{"name":"pid","list":3}]}'],
    [
      'an op that is not a number',
      '{"constraints":[{"name":"pid","list":[{"op":"eq","expr":"1"}]}]}',
    ],
    ['a missing expr', '{"constraints":[{"name":"pid","list":[{"op":2}]}]}'],
  ])('rejects %s', (_name, text) => {
    expect(() => parseQueryContext(text)).toThrow(QueryContextError);
  });
});
