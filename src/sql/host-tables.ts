import { readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Clock } from '../model/clock';
import type { ColumnSpec } from '../model/columns';
import type { SqlTable } from './engine';

/**
 * Small stand-ins for the osquery core tables the pack reads (`time`, `processes`,
 * `osquery_extensions`), with the same column names and types for the columns they fill.
 */
const TIME_COLUMNS: readonly ColumnSpec[] = [
  { name: 'unix_time', type: 'INTEGER', description: 'Current unix time, seconds' },
  { name: 'timestamp', type: 'TEXT', description: 'Current time, UTC, as text' },
  { name: 'datetime', type: 'TEXT', description: 'Current time, ISO 8601 UTC' },
  { name: 'year', type: 'INTEGER', description: 'UTC year' },
  { name: 'month', type: 'INTEGER', description: 'UTC month' },
  { name: 'day', type: 'INTEGER', description: 'UTC day of month' },
  { name: 'hour', type: 'INTEGER', description: 'UTC hour' },
  { name: 'minutes', type: 'INTEGER', description: 'UTC minutes' },
  { name: 'seconds', type: 'INTEGER', description: 'UTC seconds' },
];

/** `time`: one row, the clock's current time (UTC). */
export function timeTable(clock: Clock): SqlTable {
  const now = new Date(clock.now());
  const row = {
    unix_time: Math.floor(now.getTime() / 1000),
    timestamp: now.toUTCString(),
    datetime: now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    year: now.getUTCFullYear(),
    month: now.getUTCMonth() + 1,
    day: now.getUTCDate(),
    hour: now.getUTCHours(),
    minutes: now.getUTCMinutes(),
    seconds: now.getUTCSeconds(),
  };
  return { name: 'time', columns: TIME_COLUMNS, rows: [row] };
}

const PROCESS_COLUMNS: readonly ColumnSpec[] = [
  { name: 'pid', type: 'BIGINT', description: 'Process id' },
  { name: 'name', type: 'TEXT', description: 'Command name (Linux comm)' },
  { name: 'path', type: 'TEXT', description: 'Executable path' },
  { name: 'cmdline', type: 'TEXT', description: 'Command line, arguments separated by spaces' },
  { name: 'parent', type: 'BIGINT', description: 'Parent process id' },
];

/** One process as the `processes` stand-in holds it. */
export interface ProcessRow {
  pid: number;
  name: string | null;
  path: string | null;
  cmdline: string | null;
  parent: number | null;
}

/**
 * The processes under a procfs root (default /proc, Linux only). A process that exits while it
 * is being read is skipped; elsewhere than Linux the list is empty.
 */
export function readProcesses(root = '/proc'): ProcessRow[] {
  let entries: string[];
  try {
    entries = readdirSync(root).filter((e) => /^\d+$/.test(e));
  } catch {
    return [];
  }
  const rows: ProcessRow[] = [];
  for (const entry of entries) {
    const row = readProcess(join(root, entry), Number(entry));
    if (row) rows.push(row);
  }
  return rows;
}

function readProcess(dir: string, pid: number): ProcessRow | null {
  try {
    const stat = readFileSync(join(dir, 'stat'), 'utf8');
    // comm sits in parentheses and may itself contain ") ", so split at the last one.
    const close = stat.lastIndexOf(')');
    const name = stat.slice(stat.indexOf('(') + 1, close);
    const parent = Number(stat.slice(close + 2).split(' ')[1]);
    const raw = readFileSync(join(dir, 'cmdline'), 'utf8');
    const cmdline = raw.replace(/\0+$/, '').split('\0').join(' ');
    return { pid, name, path: safeReadlink(join(dir, 'exe')), cmdline, parent };
  } catch {
    return null;
  }
}

function safeReadlink(path: string): string | null {
  try {
    return readlinkSync(path);
  } catch {
    return null;
  }
}

/** `processes` holding the given rows. */
export function processesTable(rows: readonly ProcessRow[]): SqlTable {
  return { name: 'processes', columns: PROCESS_COLUMNS, rows };
}

const EXTENSION_COLUMNS: readonly ColumnSpec[] = [
  { name: 'uuid', type: 'BIGINT', description: 'Extension route uuid' },
  { name: 'name', type: 'TEXT', description: 'Extension name' },
  { name: 'version', type: 'TEXT', description: 'Extension version' },
  { name: 'type', type: 'TEXT', description: 'core or extension' },
];

/** `osquery_extensions` with this extension registered, so pack discovery queries pass. */
export function extensionsTable(version: string): SqlTable {
  const rows = [
    { uuid: 0, name: 'core', version: '', type: 'core' },
    { uuid: 1, name: 'process_terminations', version, type: 'extension' },
  ];
  return { name: 'osquery_extensions', columns: EXTENSION_COLUMNS, rows };
}
