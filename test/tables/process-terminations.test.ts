import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/buffer/event-buffer';
import { emptyTermination, type Termination } from '../../src/model/termination';
import { bufferQuery, createProcessTerminationsTable } from '../../src/tables/process-terminations';
import { Operator, type Constraint, type QueryContext } from '../../src/tables/table';
import { toWireRow } from '../../src/tables/wire';

const ctx = (cols: Record<string, Constraint[]>): QueryContext => ({
  constraints: new Map(Object.entries(cols)),
});

function row(time: number, pid: number | null, eid: string): Termination {
  return { ...emptyTermination({ time, ingest_time: time, eid, kind: 'exit', source: 't' }), pid };
}

describe('bufferQuery', () => {
  it.each([
    ['time = 100', Operator.EQUALS, { timeMin: 100, timeMax: 101 }],
    ['time > 100', Operator.GREATER_THAN, { timeMin: 100 }],
    ['time >= 100', Operator.GREATER_THAN_OR_EQUALS, { timeMin: 100 }],
    ['time < 100', Operator.LESS_THAN, { timeMax: 101 }],
    ['time <= 100', Operator.LESS_THAN_OR_EQUALS, { timeMax: 101 }],
    ['time LIKE 100', Operator.LIKE, {}],
  ])('%s narrows to a superset', (_n, op, expected) => {
    expect(bufferQuery(ctx({ time: [{ op, expr: '100' }] }))).toEqual(expected);
  });

  it('intersects several time bounds', () => {
    const q = bufferQuery(
      ctx({
        time: [
          { op: Operator.GREATER_THAN_OR_EQUALS, expr: '100' },
          { op: Operator.GREATER_THAN, expr: '150' },
          { op: Operator.LESS_THAN, expr: '300' },
          { op: Operator.LESS_THAN_OR_EQUALS, expr: '200' },
        ],
      }),
    );
    expect(q).toEqual({ timeMin: 150, timeMax: 201 });
  });

  it('takes pid IN (...) as the union of its EQUALS', () => {
    const q = bufferQuery(
      ctx({
        pid: [
          { op: Operator.EQUALS, expr: '7' },
          { op: Operator.EQUALS, expr: '9' },
        ],
      }),
    );
    expect([...(q.pids ?? [])]).toEqual([7, 9]);
  });

  it('ignores values it cannot use', () => {
    expect(bufferQuery(ctx({ pid: [{ op: Operator.EQUALS, expr: 'x' }] }))).toEqual({});
    expect(bufferQuery(ctx({ time: [{ op: Operator.EQUALS, expr: '' }] }))).toEqual({});
    expect(bufferQuery(ctx({ pid: [{ op: Operator.GREATER_THAN, expr: '5' }] }))).toEqual({});
  });
});

describe('process_terminations table', () => {
  const buffer = new EventBuffer({ retentionSeconds: 1e9, maxEvents: 100 }, { now: () => 0 });
  buffer.add([row(100.9, 7, 'a'), row(150, 9, 'b'), row(200, 7, 'c'), row(250, null, 'd')]);
  const table = createProcessTerminationsTable(buffer);

  it('keeps a row at 100.9 for time <= 100 (osquery sees 100)', async () => {
    const rows = await table.generate(
      ctx({ time: [{ op: Operator.LESS_THAN_OR_EQUALS, expr: '100' }] }),
    );
    expect(rows.map((r) => r.eid)).toEqual(['a']);
    expect(rows[0]?.time).toBe('100');
  });

  it('selects by pid and time together', async () => {
    const rows = await table.generate(
      ctx({
        pid: [{ op: Operator.EQUALS, expr: '7' }],
        time: [{ op: Operator.GREATER_THAN, expr: '150' }],
      }),
    );
    expect(rows.map((r) => r.eid)).toEqual(['c']);
  });

  it('leaves NULL columns out of a row', async () => {
    const first = await table.generate(ctx({}));
    expect(first[3]).not.toHaveProperty('pid');
    expect(first[3]).not.toHaveProperty('signal');
    expect(first[3]).toMatchObject({ time: '250', kind: 'exit', eid: 'd', source: 't' });
  });

  it('encodes each row once for osqueryd and reuses the bytes', () => {
    const encode = table.generateEncoded?.bind(table);
    expect(encode).toBeDefined();
    const first = encode?.(ctx({})) ?? [];
    const second = encode?.(ctx({})) ?? [];
    expect(first).toHaveLength(second.length);
    expect(first[3]).toBe(second[3]);
  });
});

describe('toWireRow', () => {
  it('writes numbers as text, floors whole-number columns, drops null and NaN', () => {
    const cols = [
      { name: 'a', type: 'BIGINT', description: '' },
      { name: 'b', type: 'DOUBLE', description: '' },
      { name: 'c', type: 'TEXT', description: '' },
      { name: 'd', type: 'INTEGER', description: '' },
    ] as const;
    expect(toWireRow({ a: 5.7, b: 1.5, c: null, d: Number.NaN }, cols)).toEqual({
      a: '5',
      b: '1.5',
    });
  });
});
