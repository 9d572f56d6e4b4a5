import type { ColumnSpec } from '../model/columns';

/** A row as osquery receives it: column name to text. A NULL column is left out. */
export type WireRow = Record<string, string>;

/**
 * osquery's constraint operators (osquery/core/tables.h), as they arrive in the `context` JSON
 * of a generate call.
 */
export const Operator = {
  UNIQUE: 1,
  EQUALS: 2,
  GREATER_THAN: 4,
  LESS_THAN_OR_EQUALS: 8,
  LESS_THAN: 16,
  GREATER_THAN_OR_EQUALS: 32,
  MATCH: 64,
  LIKE: 65,
  GLOB: 66,
  REGEXP: 67,
} as const;

export interface Constraint {
  readonly op: number;
  readonly expr: string;
}

/** The WHERE-clause constraints osquery passes, per column. SQLite filters again afterwards. */
export interface QueryContext {
  readonly constraints: ReadonlyMap<string, readonly Constraint[]>;
}

export const emptyQueryContext: QueryContext = { constraints: new Map() };

/**
 * A table this extension serves. `generate` may return a superset of the rows the constraints
 * select (osquery filters again) but never a subset. It must not throw for bad input: the
 * server turns a thrown error into status 1 with its message.
 */
export interface TablePlugin {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  generate(context: QueryContext): WireRow[] | Promise<WireRow[]>;
  /**
   * The same rows already in the Thrift binary encoding of `map<string,string>`
   * (`encodeWireRow` in src/osquery/call-reply.ts), for large tables that encode each
   * immutable row once. The extension server prefers it when present.
   */
  generateEncoded?(context: QueryContext): Buffer[];
}
