import { describe, expect, it } from 'vitest';
import { buildRegistry, tableRoutes } from '../../src/osquery/routes';
import type { TablePlugin } from '../../src/tables/table';

const table = (name: string): TablePlugin => ({
  name,
  columns: [
    { name: 'pid', type: 'BIGINT', description: 'a pid' },
    { name: 'path', type: 'TEXT', description: 'a path' },
  ],
  generate: () => [],
});

describe('routes', () => {
  it('has one column route per column, in order', () => {
    expect(tableRoutes(table('t'))).toEqual([
      { id: 'column', name: 'pid', type: 'BIGINT', op: '0' },
      { id: 'column', name: 'path', type: 'TEXT', op: '0' },
    ]);
  });

  it('puts every table under the table registry by name', () => {
    const reg = buildRegistry([table('a'), table('b')]);
    expect(Object.keys(reg)).toEqual(['table']);
    expect(Object.keys(reg.table ?? {})).toEqual(['a', 'b']);
  });

  it('refuses two tables with one name', () => {
    expect(() => buildRegistry([table('a'), table('a')])).toThrow(/two tables are named a/);
  });
});
