import Database from 'better-sqlite3';
import type { ColumnSpec } from '../model/columns';
import type { TablePlugin } from '../tables/table';

type Value = string | number | bigint | boolean | null | undefined;

/** A table to load: its columns and its rows (column name to value; a missing column is NULL). */
export interface SqlTable {
  readonly name: string;
  readonly columns: readonly ColumnSpec[];
  readonly rows: Iterable<object>;
}

/** A statement that would write or attach something; the engine only answers queries. */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
  constructor(sql: string) {
    const head = sql.trim().split(/\s+/).slice(0, 3).join(' ');
    super(
      `only read-only SELECT/WITH statements are accepted, not "${head.slice(0, 60)} ..."; ` +
        'the tables are copies loaded for this run, so there is nothing to change',
    );
  }
}

/** A result row as SQLite returns it. */
export type ResultRow = Record<string, unknown>;

/**
 * An in-memory SQLite database holding copies of the extension's tables, so osquery SQL can be
 * run without osqueryd. Rows are loaded once at construction (osquery's tables are generated
 * per query, but the pack's queries read each table as a whole). Text in numeric columns is
 * converted the way osquery converts wire values: a number, or NULL when it is not one.
 */
export class SqlEngine {
  private readonly db: Database.Database;

  constructor(tables: readonly SqlTable[]) {
    this.db = new Database(':memory:');
    for (const table of tables) this.load(table);
  }

  /**
   * Runs one read-only statement and returns every row, with no time limit (see timed-query.ts
   * for one). Throws with SQLite's message on bad SQL and {@link ReadOnlyError} for statements
   * that would change something.
   */
  all(sql: string): ResultRow[] {
    return this.prepareRead(sql).all() as ResultRow[];
  }

  /** Compiles `sql` and checks it only reads; throws {@link ReadOnlyError} otherwise. */
  assertReadOnly(sql: string): void {
    this.prepareRead(sql);
  }

  /** The whole database as SQLite's file image, to open it in another process. */
  serialize(): Buffer {
    return this.db.serialize();
  }

  private prepareRead(sql: string): Database.Statement {
    const statement = this.db.prepare(sql);
    // `reader` (returns rows) and sqlite3_stmt_readonly: ATTACH, VACUUM INTO, INSERT, CREATE
    // and writing PRAGMAs fail one or the other.
    if (!statement.reader || !statement.readonly) throw new ReadOnlyError(sql);
    return statement;
  }

  /** Compiles `sql` without running it; throws with SQLite's message when it is not valid here. */
  check(sql: string): void {
    this.db.prepare(sql);
  }

  /** The result column names of `sql`, without running it. */
  columns(sql: string): string[] {
    return this.db
      .prepare(sql)
      .columns()
      .map((c) => c.name);
  }

  close(): void {
    this.db.close();
  }

  private load(table: SqlTable): void {
    const cols = table.columns.map((c) => `"${c.name}" ${affinity(c)}`).join(', ');
    this.db.exec(`CREATE TABLE "${table.name}" (${cols})`);
    const marks = table.columns.map(() => '?').join(', ');
    const insert = this.db.prepare(`INSERT INTO "${table.name}" VALUES (${marks})`);
    this.db.transaction(() => {
      for (const row of table.rows) {
        const values = row as Readonly<Record<string, Value>>;
        insert.run(table.columns.map((c) => convert(c, values[c.name])));
      }
    })();
  }
}

function affinity(column: ColumnSpec): string {
  if (column.type === 'DOUBLE') return 'REAL';
  return column.type === 'TEXT' ? 'TEXT' : 'INTEGER';
}

function convert(column: ColumnSpec, value: Value): string | number | bigint | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (column.type === 'TEXT') return String(value);
  if (typeof value !== 'string') return value;
  const n = Number(value);
  return value.trim() === '' || Number.isNaN(n) ? null : n;
}

/** A TablePlugin's full contents as a SqlTable (generate with no constraints). */
export async function pluginTable(plugin: TablePlugin): Promise<SqlTable> {
  const rows = await plugin.generate({ constraints: new Map() });
  return { name: plugin.name, columns: plugin.columns, rows };
}
