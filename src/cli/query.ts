import { existsSync } from 'node:fs';
import type { Command } from 'commander';
import { loadWatchlist } from '../config/watchlist';
import type { Termination } from '../model/termination';
import { readProcesses } from '../sql/host-tables';
import { collectRows } from '../sql/pack-files';
import { createPackEngine } from '../sql/run-pack';
import { allWithin, DEFAULT_TIMEOUT_MS, parseTimeoutMs } from '../sql/timed-query';
import { createLogger } from './logging';
import { missingArgument } from './missing-argument';

/** Where `query` and `pack run` read rows when no --replay is given: this host's audit log. */
export const LIVE_AUDIT_LOG = '/var/log/audit/audit.log';

/** Flags shared by `query` and `pack run`. */
export interface RowFlags {
  replay?: string[];
  config?: string;
  format: string;
  timeoutMs: number;
  verbose?: boolean;
}

/**
 * The rows to query: the --replay files, or else the audit log this host's auditd is writing
 * (what the extension's audit_log source would read now). Logs go to stderr.
 */
export async function loadTerminations(flags: RowFlags): Promise<Termination[]> {
  const logger = createLogger(flags.verbose ?? false);
  if (flags.replay && flags.replay.length > 0) {
    return collectRows(flags.replay, { format: flags.format, logger });
  }
  if (!existsSync(LIVE_AUDIT_LOG)) {
    logger.warn('no --replay files and no audit log to read: process_terminations is empty', {
      path: LIVE_AUDIT_LOG,
    });
    return [];
  }
  return collectRows([LIVE_AUDIT_LOG], { format: 'audit', logger });
}

/** The engine over the rows, the watchlist (--config) and this host's processes. */
export async function engineFor(flags: RowFlags) {
  const watchlist = loadWatchlist(flags.config);
  const terminations = await loadTerminations(flags);
  return createPackEngine({ terminations, watchlist, processes: readProcesses() });
}

/** Adds the --replay, --config, --format, --timeout-ms and --verbose options. */
export function withRowOptions(command: Command): Command {
  return command
    .option('--replay <file...>', "recorded files to read instead of this host's audit log")
    .option(
      '--config <file>',
      'watchlist configuration (JSON or YAML) to extend or replace the defaults',
    )
    .option('--format <name>', 'format of the --replay files (auto decides by content)', 'auto')
    .option(
      '--timeout-ms <ms>',
      'stop the SQL after this many milliseconds',
      parseTimeoutMs,
      DEFAULT_TIMEOUT_MS,
    )
    .option('--verbose', 'log debug lines to stderr');
}

// A --replay value that reads like SQL was meant as the SQL argument.
const looksLikeSql = (v: string) => /^\s*(select|with|pragma)\b/i.test(v) || v.includes(' ');

/** `query SQL`: runs osquery SQL over the extension's tables and prints the rows as JSON. */
export function register(program: Command): void {
  withRowOptions(
    program
      .command('query')
      .description(
        'run SQL over process_terminations, process_termination_techniques, ' +
          'process_termination_watchlist, time and processes in an embedded SQLite',
      )
      .argument('[sql]', 'one read-only SQL statement (SELECT or WITH)'),
  ).action(async (sql: string | undefined, flags: RowFlags) => {
    if (sql === undefined) throw missingArgument('SQL', 'query', flags.replay, looksLikeSql);
    const engine = await engineFor(flags);
    try {
      const [rows] = await allWithin(engine, [sql], flags.timeoutMs);
      process.stdout.write(`${JSON.stringify(rows ?? [], null, 2)}\n`);
    } finally {
      engine.close();
    }
  });
}
