import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SqlEngine } from '../../src/sql/engine';
import { readProcesses, timeTable } from '../../src/sql/host-tables';

describe('SqlEngine', () => {
  const engine = new SqlEngine([
    {
      name: 't',
      columns: [
        { name: 'n', type: 'BIGINT', description: '' },
        { name: 's', type: 'TEXT', description: '' },
      ],
      rows: [{ n: '42', s: 'a' }, { n: 'x', s: 7 }, { s: null }],
    },
  ]);

  it('converts wire text in numeric columns as osquery does, NULL when not a number', () => {
    expect(engine.all('SELECT n, s FROM t')).toEqual([
      { n: 42, s: 'a' },
      { n: null, s: '7' },
      { n: null, s: null },
    ]);
  });

  it('refuses SQL naming a table or column the shapes lack', () => {
    expect(() => engine.check('SELECT nope FROM t')).toThrow(/no such column: nope/);
    expect(() => engine.check('SELECT 1 FROM missing')).toThrow(/no such table: missing/);
  });
});

describe('host tables', () => {
  const root = mkdtempSync(join(tmpdir(), 'pt-proc-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('time has the clock time in UTC', () => {
    const row = [...timeTable({ now: () => Date.UTC(2024, 1, 29, 23, 59, 58) }).rows][0];
    expect(row).toMatchObject({ unix_time: 1709251198, year: 2024, month: 2, day: 29, hour: 23 });
  });

  it('processes reads comm (even with ") " inside), ppid, exe and cmdline from procfs', () => {
    const dir = join(root, '321');
    mkdirSync(dir);
    // stat fields after comm: state, then ppid (proc(5)).
    writeFileSync(join(dir, 'stat'), '321 (odd) name) S 7 321 321 0 -1 4194560');
    writeFileSync(join(dir, 'cmdline'), 'odd\0--flag\0');
    symlinkSync('/usr/bin/odd', join(dir, 'exe'));
    mkdirSync(join(root, 'self'));
    expect(readProcesses(root)).toEqual([
      { pid: 321, name: 'odd) name', path: '/usr/bin/odd', cmdline: 'odd --flag', parent: 7 },
    ]);
  });

  it('processes is empty when there is no procfs', () => {
    expect(readProcesses(join(root, 'absent'))).toEqual([]);
  });
});
