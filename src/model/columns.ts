/** osquery column types as registered in a table's routes. */
export type ColumnType = 'TEXT' | 'INTEGER' | 'BIGINT' | 'DOUBLE';

/** One column of a table: its osquery type and what it holds (the README's reference). */
export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
  readonly description: string;
}
