import type { EventBuffer } from '../buffer/event-buffer';
import type { ExtensionOptions } from '../config/options';
import type { Logger } from '../log';
import type { Clock } from '../model/clock';
import type { EventSource } from '../sources/source';
import { createProcessTerminationsTable } from './process-terminations';
import type { TablePlugin } from './table';
import { createStatusTable } from './status';
import { createTechniquesTable } from './techniques';
import { createWatchlistTable } from './watchlist';
import { DEFAULT_WATCHLIST } from '../config/watchlist-defaults';

/** What a table may read: the shared buffer, the running sources and the options. */
export interface TableContext {
  buffer: EventBuffer;
  sources: readonly EventSource[];
  options: ExtensionOptions;
  logger: Logger;
  clock: Clock;
}

/**
 * Every table the extension registers, in registration order. Adding a table is one line here
 * (and its module under src/tables/). The configuration file's reader (YAML) is loaded only
 * when there is a file: osqueryd gives an extension little time to register.
 */
export async function buildTables(ctx: TableContext): Promise<TablePlugin[]> {
  const watchlist = ctx.options.config
    ? (await import('../config/watchlist.js')).loadWatchlist(ctx.options.config)
    : [...DEFAULT_WATCHLIST];
  return [
    createProcessTerminationsTable(ctx.buffer),
    createStatusTable({
      buffer: ctx.buffer,
      sources: ctx.sources,
      maxEvents: ctx.options.maxEvents,
    }),
    createTechniquesTable(),
    createWatchlistTable(watchlist),
  ];
}
