import type { WatchEntry } from '../config/watchlist-defaults';
import type { ColumnSpec } from '../model/columns';
import type { TablePlugin, WireRow } from './table';

/** Columns of `process_termination_watchlist`, in table order. */
export const WATCHLIST_COLUMNS: readonly ColumnSpec[] = [
  {
    name: 'name',
    type: 'TEXT',
    description: 'Process name (as in process_terminations.name) or service name',
  },
  {
    name: 'category',
    type: 'TEXT',
    description: 'security_agent, logging_agent, backup_database or miner',
  },
  { name: 'platform', type: 'TEXT', description: 'linux, windows, darwin or all' },
  {
    name: 'kind',
    type: 'TEXT',
    description: 'process (matches name) or service (matches service)',
  },
  {
    name: 'match',
    type: 'TEXT',
    description: 'exact, prefix or contains; always case-insensitive',
  },
  {
    name: 'required',
    type: 'INTEGER',
    description: '1 when every host of the platform must run it',
  },
];

/**
 * `process_termination_watchlist`: the names the pack's queries match, from the defaults or a
 * `--config` file. The list is fixed at start; osquery applies the WHERE clause.
 */
export function createWatchlistTable(entries: readonly WatchEntry[]): TablePlugin {
  const rows: WireRow[] = entries.map((e) => ({ ...e, required: String(e.required) }));
  return {
    name: 'process_termination_watchlist',
    columns: WATCHLIST_COLUMNS,
    generate: () => rows.map((r) => ({ ...r })),
  };
}
