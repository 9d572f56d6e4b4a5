import type { ColumnSpec } from '../model/columns';
import type { WireRow } from './table';

/**
 * Turns one row into the map osquery receives: every value as text, NULL (null or undefined)
 * columns left out. INTEGER and BIGINT columns carry whole numbers, so a fractional value is
 * floored (an audit timestamp's milliseconds); non-finite numbers are treated as NULL.
 */
export function toWireRow(row: object, columns: readonly ColumnSpec[]): WireRow {
  const values = row as Record<string, unknown>;
  const out: WireRow = {};
  for (const col of columns) {
    const text = wireValue(values[col.name], col.type);
    if (text !== null) out[col.name] = text;
  }
  return out;
}

function wireValue(value: unknown, type: ColumnSpec['type']): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return type === 'INTEGER' || type === 'BIGINT' ? String(Math.floor(value)) : String(value);
  }
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'boolean') return value ? '1' : '0';
  return String(value);
}
