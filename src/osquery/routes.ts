import type { TablePlugin } from '../tables/table';

/** One route of a plugin as osqueryd reads it: for a table, one map per column. */
export type Route = Record<string, string>;

/** Registry name to plugin name to routes, the `registry` argument of registerExtension. */
export type ExtensionRegistry = Record<string, Record<string, Route[]>>;

/**
 * The routes of a table: `{id: 'column', name, type, op: '0'}` per column in table order,
 * which osqueryd turns into the virtual table's schema (`op` 0 is a plain column, no
 * index/required/hidden options).
 */
export function tableRoutes(table: TablePlugin): Route[] {
  return table.columns.map((c) => ({ id: 'column', name: c.name, type: c.type, op: '0' }));
}

/**
 * The registry this extension announces: every table under `table`, keyed by table name.
 * Throws when two tables share a name, which osqueryd would refuse anyway.
 */
export function buildRegistry(tables: readonly TablePlugin[]): ExtensionRegistry {
  const table: Record<string, Route[]> = {};
  for (const t of tables) {
    if (table[t.name]) throw new Error(`two tables are named ${t.name}; table names must differ`);
    table[t.name] = tableRoutes(t);
  }
  return { table };
}
