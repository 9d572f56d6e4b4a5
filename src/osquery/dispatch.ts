import { clip, type Logger } from '../log';
import type { TablePlugin, WireRow } from '../tables/table';
import { parseQueryContext } from './context';
import { tableRoutes } from './routes';

/** A call's outcome before it is written as Thrift: code 0 is success, 1 a failure. */
export interface CallResult {
  status: { code: number; message: string };
  /** Rows as maps, or already encoded by a table's `generateEncoded`. */
  response: ReadonlyArray<WireRow | Buffer>;
}

/** osquery's success status: code 0 with message "OK". */
export const OK = { code: 0, message: 'OK' } as const;

function failed(message: string): CallResult {
  return { status: { code: 1, message }, response: [] };
}

/**
 * Answers one `call(registry, item, request)` from osqueryd. Only the `table` registry is
 * served; actions are `generate` (rows for the request's `context`) and `columns` (the
 * routes). Never throws: every failure, a table's own error included, is status 1 with a
 * message naming what was expected.
 */
export async function dispatchCall(
  tables: ReadonlyMap<string, TablePlugin>,
  registry: string,
  item: string,
  request: Record<string, string> | null | undefined,
  logger: Logger,
): Promise<CallResult> {
  if (registry !== 'table') {
    return failed(`unknown registry ${clip(String(registry), 60)}: this extension serves tables`);
  }
  const table = tables.get(item);
  if (!table) {
    const names = [...tables.keys()].join(', ');
    return failed(`unknown table ${clip(String(item), 60)}: this extension serves ${names}`);
  }
  const action = request?.action;
  if (action === 'columns') return { status: { ...OK }, response: tableRoutes(table) };
  if (action !== 'generate') {
    const got = action === undefined ? 'no action' : `action ${clip(String(action), 60)}`;
    return failed(`${got} for table ${item}: expected generate or columns`);
  }
  try {
    const context = parseQueryContext(request?.context);
    const rows = table.generateEncoded
      ? table.generateEncoded(context)
      : await table.generate(context);
    return { status: { ...OK }, response: rows };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    logger.warn('generate failed', { table: item, error: clip(message) });
    return failed(`generate of ${item} failed: ${clip(message)}`);
  }
}
