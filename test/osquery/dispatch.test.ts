import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/log';
import { dispatchCall } from '../../src/osquery/dispatch';
import type { QueryContext, TablePlugin } from '../../src/tables/table';

let seen: QueryContext | null = null;
const ok: TablePlugin = {
  name: 'ok',
  columns: [{ name: 'pid', type: 'BIGINT', description: 'pid' }],
  generate: (ctx) => ((seen = ctx), [{ pid: '1' }]),
};
const broken: TablePlugin = {
  name: 'broken',
  columns: [{ name: 'x', type: 'TEXT', description: 'x' }],
  generate: () => {
    throw new Error('disk on fire');
  },
};
const tables = new Map([
  ['ok', ok],
  ['broken', broken],
]);
const call = (registry: string, item: string, request?: Record<string, string>) =>
  dispatchCall(tables, registry, item, request, silentLogger);

describe('dispatchCall', () => {
  it('generates with the parsed context and status OK', async () => {
    const r = await call('table', 'ok', {
      action: 'generate',
      context: '{"constraints":[{"name":"pid","list":[{"op":2,"expr":"9"}]}]}',
    });
    expect(r).toEqual({ status: { code: 0, message: 'OK' }, response: [{ pid: '1' }] });
    expect(seen?.constraints.get('pid')).toEqual([{ op: 2, expr: '9' }]);
  });

  it('answers columns with the routes', async () => {
    const r = await call('table', 'ok', { action: 'columns' });
    expect(r.response).toEqual([{ id: 'column', name: 'pid', type: 'BIGINT', op: '0' }]);
  });

  it.each([
    ['an unknown registry', 'config', 'ok', { action: 'generate' }, /unknown registry config/],
    ['an unknown table', 'table', 'nope', { action: 'generate' }, /unknown table nope.*ok, broken/],
    [
      'an unknown action',
      'table',
      'ok',
      { action: 'delete' },
      /action delete.*generate or columns/,
    ],
    ['no action', 'table', 'ok', {}, /no action/],
    ['bad context JSON', 'table', 'ok', { action: 'generate', context: '{' }, /not JSON/],
    ['a failing table', 'table', 'broken', { action: 'generate' }, /broken failed: disk on fire/],
  ])('answers %s with status 1 and a message', async (_n, registry, item, request, message) => {
    const r = await call(registry, item, request);
    expect(r.status.code).toBe(1);
    expect(r.status.message).toMatch(message);
    expect(r.response).toEqual([]);
  });
});
