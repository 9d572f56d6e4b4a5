import type { BufferCounts, EventBuffer } from '../buffer/event-buffer';
import type { ColumnSpec } from '../model/columns';
import type { EventSource, SourceStatus } from '../sources/source';
import type { TablePlugin, WireRow } from './table';

/** The table's name in osquery. */
export const PROCESS_TERMINATIONS_STATUS = 'process_terminations_status';

/** The columns of `process_terminations_status`, in table order. */
export const STATUS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'source', type: 'TEXT', description: 'Source name, as in process_terminations.source' },
  {
    name: 'state',
    type: 'TEXT',
    description:
      'starting, running, degraded (running but losing or missing input), stopped or failed; NULL for rows of a source not running',
  },
  {
    name: 'events_read',
    type: 'BIGINT',
    description:
      'Input events read since start (audit events, XML events, JSON lines), backlog included',
  },
  {
    name: 'rows',
    type: 'BIGINT',
    description: 'Rows the source produced since start, before buffering',
  },
  { name: 'rows_buffered', type: 'BIGINT', description: 'Rows of this source queryable now' },
  {
    name: 'dropped',
    type: 'BIGINT',
    description: 'Rows dropped, oldest first, to stay within --max-events: a loss',
  },
  {
    name: 'expired',
    type: 'BIGINT',
    description: 'Rows aged out by --retention: the normal end of a row, not a loss',
  },
  {
    name: 'duplicates',
    type: 'BIGINT',
    description:
      'Rows refused because the same eid was buffered (re-read after a restart or rotation)',
  },
  {
    name: 'lost',
    type: 'BIGINT',
    description:
      'Input known to be lost before it was read: audit serial gaps, eBPF lost events, plus one per file gap of unknown size (a log rotated away or truncated unread)',
  },
  {
    name: 'parse_errors',
    type: 'BIGINT',
    description: 'Input that could not be parsed and was skipped',
  },
  {
    name: 'lag_ms',
    type: 'BIGINT',
    description:
      "Milliseconds between the newest row's event time and when it was read; NULL before the first row",
  },
  { name: 'last_error', type: 'TEXT', description: 'The most recent error or loss, as logged' },
  {
    name: 'checkpoint',
    type: 'TEXT',
    description: 'Where the source resumes after a restart (file, inode and offset; record ids)',
  },
  { name: 'buffered_total', type: 'BIGINT', description: 'Rows of every source queryable now' },
  { name: 'max_events', type: 'BIGINT', description: 'The --max-events limit on buffered_total' },
];

export interface StatusTableDeps {
  buffer: EventBuffer;
  sources: readonly EventSource[];
  maxEvents: number;
}

/**
 * `process_terminations_status`: one row per source, joining what the source says about its
 * input with what the buffer did with its rows; a buffer source that no running source claims
 * (rows named after another channel) gets a row of its own with NULL state.
 */
export function createStatusTable(deps: StatusTableDeps): TablePlugin {
  return {
    name: PROCESS_TERMINATIONS_STATUS,
    columns: STATUS_COLUMNS,
    generate: () => statusRows(deps),
  };
}

/** The table's rows, sources in start order, then other buffer sources by name. */
export function statusRows(deps: StatusTableDeps): WireRow[] {
  const counts = deps.buffer.countsBySource();
  const totals = { buffered_total: String(deps.buffer.size), max_events: String(deps.maxEvents) };
  const rows: WireRow[] = [];
  const named = new Set<string>();
  for (const source of deps.sources) {
    const st = source.status();
    named.add(st.source);
    rows.push({ ...sourceColumns(st), ...countColumns(counts.get(st.source)), ...totals });
  }
  for (const name of [...counts.keys()].filter((n) => !named.has(n)).sort()) {
    rows.push({ source: name, ...countColumns(counts.get(name)), ...totals });
  }
  return rows;
}

function sourceColumns(st: SourceStatus): WireRow {
  const row: WireRow = {
    source: st.source,
    state: st.state,
    events_read: String(st.events_read),
    rows: String(st.rows),
    lost: String(st.lost),
    parse_errors: String(st.parse_errors),
  };
  if (st.lag_ms !== null) row.lag_ms = String(st.lag_ms);
  if (st.last_error !== null) row.last_error = st.last_error;
  if (st.checkpoint !== null) row.checkpoint = st.checkpoint;
  return row;
}

function countColumns(c: BufferCounts | undefined): WireRow {
  return {
    rows_buffered: String(c?.buffered ?? 0),
    dropped: String(c?.dropped ?? 0),
    expired: String(c?.expired ?? 0),
    duplicates: String(c?.duplicates ?? 0),
  };
}
