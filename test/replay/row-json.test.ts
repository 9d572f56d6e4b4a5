import { describe, expect, it } from 'vitest';
import { rowJson } from '../../src/cli/replay';
import { emptyTermination, type Termination } from '../../src/model/termination';
import { TERMINATION_COLUMNS } from '../../src/model/termination-columns';

function row(values: Partial<Termination>): Termination {
  const base = emptyTermination({ time: 1, ingest_time: 2, eid: 'e', kind: 'exit', source: 's' });
  return { ...base, ...values };
}

/** What JSON.stringify writes for the row's columns in table order. */
function reference(r: Termination): string {
  const ordered: Record<string, unknown> = {};
  for (const c of TERMINATION_COLUMNS) ordered[c.name] = r[c.name] ?? null;
  return JSON.stringify(ordered);
}

describe('rowJson (fixed template)', () => {
  it.each([
    ['plain text', { path: '/usr/bin/sleep', name: 'sleep', pid: 7 }],
    ['quotes and backslashes', { cmdline: 'sh -c "echo \\"x\\""', name: 'a\\b' }],
    ['control characters', { cmdline: 'a\tb\nc\u0001d\u001f\u007f' }],
    ['non-ASCII text', { cmdline: 'café ☃ 𝄞', user: 'jürgen' }],
    ['lone surrogate halves', { cmdline: 'x\ud800y', name: '\udc00' }],
    ['negative and zero numbers', { exit_code: -1, signal: 0, uid: 0 }],
    ['missing columns', { pid: undefined, path: undefined }],
  ])('writes %s as JSON.stringify does', (_, values) => {
    const r = row(values as Partial<Termination>);
    expect(rowJson(r)).toBe(reference(r));
  });

  it('writes a non-finite number as null, as JSON does', () => {
    expect(JSON.parse(rowJson(row({ pid: Number.NaN }))).pid).toBeNull();
  });
});
