import type { BufferQuery, EventBuffer } from '../buffer/event-buffer';
import { TERMINATION_COLUMNS } from '../model/termination-columns';
import type { Termination } from '../model/termination';
import { Operator, type Constraint, type QueryContext, type TablePlugin } from './table';
import { encodeWireRow } from '../osquery/call-reply';
import { toWireRow } from './wire';

/** The table's name in osquery. */
export const PROCESS_TERMINATIONS = 'process_terminations';

/**
 * The buffer selection for a query: `time` bounds from =, >, >=, <, <= and a pid set from
 * `pid =` (osquery sends `pid IN (...)` as several EQUALS). Always a superset of the matching
 * rows, since SQLite filters again: bounds are whole seconds widened to cover floored values,
 * and a constraint we cannot use (LIKE, a non-numeric value) narrows nothing.
 */
export function bufferQuery(context: QueryContext): BufferQuery {
  const query: BufferQuery = {};
  for (const c of context.constraints.get('time') ?? []) narrowTime(query, c);
  const pids = pidSet(context.constraints.get('pid') ?? []);
  if (pids) query.pids = pids;
  return query;
}

function narrowTime(query: BufferQuery, c: Constraint): void {
  const v = Number(c.expr);
  if (c.expr.trim() === '' || !Number.isFinite(v)) return;
  // Rows show floor(time); `time <= 5` must keep a row at 5.7, so upper bounds reach v + 1.
  const low = Math.floor(v);
  const high = Math.floor(v) + 1;
  switch (c.op) {
    case Operator.EQUALS:
      setMin(query, low);
      setMax(query, high);
      break;
    case Operator.GREATER_THAN:
    case Operator.GREATER_THAN_OR_EQUALS:
      setMin(query, low);
      break;
    case Operator.LESS_THAN:
    case Operator.LESS_THAN_OR_EQUALS:
      setMax(query, high);
      break;
  }
}

function setMin(query: BufferQuery, v: number): void {
  query.timeMin = query.timeMin === undefined ? v : Math.max(query.timeMin, v);
}

function setMax(query: BufferQuery, v: number): void {
  query.timeMax = query.timeMax === undefined ? v : Math.min(query.timeMax, v);
}

// The union of pid EQUALS values, or null when any of them is unusable (superset wins).
function pidSet(constraints: readonly Constraint[]): Set<number> | null {
  const equals = constraints.filter((c) => c.op === Operator.EQUALS);
  if (equals.length === 0) return null;
  const pids = new Set<number>();
  for (const c of equals) {
    if (!/^\s*-?\d+\s*$/.test(c.expr)) return null;
    pids.add(Number(c.expr));
  }
  return pids;
}

/**
 * `process_terminations`: the buffered rows, oldest first, narrowed by time and pid
 * constraints. For osqueryd each row is encoded once, on its first query, and the bytes are
 * kept while the row is buffered (a WeakMap: they go with the row); no map of strings is kept.
 */
export function createProcessTerminationsTable(buffer: EventBuffer): TablePlugin {
  const encoded = new WeakMap<Termination, Buffer>();
  const encode = (row: Termination): Buffer => {
    let bytes = encoded.get(row);
    if (!bytes) encoded.set(row, (bytes = encodeWireRow(toWireRow(row, TERMINATION_COLUMNS))));
    return bytes;
  };
  return {
    name: PROCESS_TERMINATIONS,
    columns: TERMINATION_COLUMNS,
    generate: (context) =>
      buffer.select(bufferQuery(context)).map((row) => toWireRow(row, TERMINATION_COLUMNS)),
    generateEncoded: (context) => buffer.select(bufferQuery(context)).map(encode),
  };
}
