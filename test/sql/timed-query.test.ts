import { afterAll, describe, expect, it } from 'vitest';
import { ReadOnlyError, SqlEngine } from '../../src/sql/engine';
import { allWithin, parseTimeoutMs, QueryTimeoutError } from '../../src/sql/timed-query';
import { createPackEngine, runPackWithin } from '../../src/sql/run-pack';

const engine = new SqlEngine([
  {
    name: 't',
    columns: [{ name: 'n', type: 'BIGINT', description: '' }],
    rows: [{ n: 1 }, { n: 2 }, { n: 3 }],
  },
]);
afterAll(() => engine.close());

const RUNAWAY =
  'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c';

describe('allWithin', () => {
  it('returns each statement its rows, in order', async () => {
    const results = await allWithin(engine, [
      'SELECT sum(n) AS s FROM t',
      'SELECT n FROM t WHERE n > 2',
    ]);
    expect(results).toEqual([[{ s: 6 }], [{ n: 3 }]]);
  });

  it('stops a recursive CTE with no end after --timeout-ms (regression: query ran forever)', async () => {
    const started = Date.now();
    await expect(allWithin(engine, [RUNAWAY], 300)).rejects.toThrow(QueryTimeoutError);
    await expect(allWithin(engine, [RUNAWAY], 300)).rejects.toThrow(/--timeout-ms 300/);
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it.each([
    "ATTACH DATABASE '/tmp/pt-attack.db' AS x",
    "VACUUM INTO '/tmp/pt-attack.db'",
    'INSERT INTO t VALUES (4)',
    'CREATE TABLE u (a)',
    'PRAGMA user_version = 3',
  ])('refuses %s as not read-only (regression: printed [] and exited 0)', async (sql) => {
    await expect(allWithin(engine, [sql])).rejects.toThrow(
      /only read-only SELECT\/WITH statements are accepted/,
    );
    expect(() => engine.all(sql)).toThrow(ReadOnlyError);
  });

  it('still refuses two statements in one', async () => {
    await expect(allWithin(engine, ['SELECT 1; SELECT 2'])).rejects.toThrow(/more than one/);
  });
});

describe('runPackWithin', () => {
  it('stops a runaway pack query', async () => {
    const pack = { discovery: [], queries: [{ name: 'q', sql: RUNAWAY, techniques: [] }] };
    const packEngine = createPackEngine({ terminations: [], watchlist: [] });
    await expect(runPackWithin(packEngine, pack, 300)).rejects.toThrow(QueryTimeoutError);
    packEngine.close();
  });

  it('skips the pack when a discovery query finds nothing, as osqueryd does', async () => {
    const pack = {
      discovery: ['SELECT 1 WHERE 0'],
      queries: [{ name: 'q', sql: 'SELECT 1 AS one', techniques: [] }],
    };
    expect(await runPackWithin(engine, pack, 5000)).toEqual([]);
  });
});

describe('parseTimeoutMs', () => {
  it.each(['0', '-5', '1.5', 'soon'])('rejects "%s"', (value) => {
    expect(() => parseTimeoutMs(value)).toThrow(/positive whole number/);
  });
  it('accepts milliseconds', () => expect(parseTimeoutMs('2500')).toBe(2500));
});
