import { describe, expect, it } from 'vitest';
import { EventBuffer } from '../../src/buffer/event-buffer';
import { emptyTermination } from '../../src/model/termination';
import { initialStatus, type EventSource } from '../../src/sources/source';
import { createStatusTable, STATUS_COLUMNS } from '../../src/tables/status';
import { emptyQueryContext } from '../../src/tables/table';

function fakeSource(name: string, patch: object = {}): EventSource {
  return {
    name,
    start: async () => undefined,
    stop: async () => undefined,
    status: () => ({ ...initialStatus(name), ...patch }),
  };
}

const clock = { now: () => 10_000_000 };
const row = (eid: string, source: string, time = 9_999) =>
  emptyTermination({ time, ingest_time: time, eid, kind: 'exit', source });

describe('process_terminations_status', () => {
  it('joins each source status with its buffer counts', async () => {
    const buffer = new EventBuffer({ retentionSeconds: 100, maxEvents: 2 }, clock);
    buffer.add([row('a', 'audit_log'), row('a', 'audit_log'), row('b', 'audit_log')]);
    buffer.add([row('c', 'audit_log')]); // over max-events: 'a' is dropped
    const source = fakeSource('audit_log', {
      state: 'running',
      events_read: 7,
      rows: 4,
      lost: 1,
      lag_ms: 12,
      checkpoint: '/var/log/audit/audit.log (inode 1:2) @10',
    });
    const table = createStatusTable({ buffer, sources: [source], maxEvents: 2 });
    expect(await table.generate(emptyQueryContext)).toEqual([
      {
        source: 'audit_log',
        state: 'running',
        events_read: '7',
        rows: '4',
        rows_buffered: '2',
        dropped: '1',
        expired: '0',
        duplicates: '1',
        lost: '1',
        parse_errors: '0',
        lag_ms: '12',
        checkpoint: '/var/log/audit/audit.log (inode 1:2) @10',
        buffered_total: '2',
        max_events: '2',
      },
    ]);
  });

  it('gives buffer sources no running source claims a row with NULL state', async () => {
    const buffer = new EventBuffer({ retentionSeconds: 100, maxEvents: 10 }, clock);
    buffer.add([row('x', 'sysmon')]);
    const table = createStatusTable({ buffer, sources: [], maxEvents: 10 });
    const rows = await table.generate(emptyQueryContext);
    expect(rows).toEqual([
      {
        source: 'sysmon',
        rows_buffered: '1',
        dropped: '0',
        expired: '0',
        duplicates: '0',
        buffered_total: '1',
        max_events: '10',
      },
    ]);
  });

  it('describes every column it fills', () => {
    const names = STATUS_COLUMNS.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const c of STATUS_COLUMNS) expect(c.description.length).toBeGreaterThan(10);
  });
});
