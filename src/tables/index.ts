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
import { loadWatchlist } from '../config/watchlist';

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
 * (and its module under src/tables/).
 */
export function buildTables(ctx: TableContext): TablePlugin[] {
  return [
    createProcessTerminationsTable(ctx.buffer),
    createStatusTable({
      buffer: ctx.buffer,
      sources: ctx.sources,
      maxEvents: ctx.options.maxEvents,
    }),
    createTechniquesTable(),
    createWatchlistTable(loadWatchlist(ctx.options.config)),
  ];
}
