import { Command, Option } from 'commander';
import { EventBuffer } from '../buffer/event-buffer';
import {
  FORMAT_NAMES,
  parseExtensionOptions,
  SOURCE_NAMES,
  type ExtensionOptions,
} from '../config/options';
import type { Logger } from '../log';
import { systemClock } from '../model/clock';
import { startExtension, type RunningExtension } from '../osquery/extension';
import type { EventSource } from '../sources/source';
import { createSources } from '../sources/select';
import { buildTables } from '../tables';
import { createLogger } from './logging';

/** A stop (signal, shutdown, osqueryd gone) must finish within this; then we exit anyway. */
const STOP_DEADLINE_MS = 1800;

/**
 * Makes running as an osquery extension the program's default action, with osqueryd's
 * autoload flags (--socket, --timeout, --interval, --verbose) and our own.
 */
export function register(program: Command): void {
  program
    .option(
      '--socket <path>',
      "osqueryd's extension manager socket (--extensions_socket); required",
    )
    .option('--timeout <s>', 'seconds to keep trying to reach osqueryd at start', '3')
    .option('--interval <s>', 'seconds between checks that osqueryd is still there', '3')
    .option('--verbose', 'log debug lines to stderr', false)
    .addOption(
      new Option('--source <name>', 'where events come from').choices(SOURCE_NAMES).default('auto'),
    )
    .option(
      '--audit-log <path>',
      'audit log to follow (source audit_log)',
      '/var/log/audit/audit.log',
    )
    .option(
      '--audisp-socket <path>',
      'auditd dispatcher socket (source audisp)',
      '/var/run/audispd_events',
    )
    .option('--retention <s>', 'seconds a row stays queryable (like osquery events_expiry)', '3600')
    .option(
      '--max-events <n>',
      'rows kept at most; the oldest are dropped first (events_max)',
      '50000',
    )
    .option('--state-dir <dir>', 'directory for the resume checkpoint')
    .option('--config <file>', 'configuration file (watchlist and more)')
    .option('--replay <files...>', 'serve rows read from these files instead of live sources')
    .addOption(
      new Option('--format <name>', 'format of --replay files')
        .choices(FORMAT_NAMES)
        .default('auto'),
    )
    .addHelpText(
      'after',
      '\nWith no command it runs as an osquery extension, the way osqueryd autoloads it:\n' +
        '  process-terminations --socket /var/osquery/osquery.em --timeout 3 --interval 3\n' +
        'See docs/osquery.md for --extensions_autoload and --extensions_require.',
    )
    .action(async (raw: Record<string, unknown>) => {
      if (raw.socket === undefined) {
        program.error('error: --socket <path> is required to run as an extension (see --help)');
      }
      const code = await runExtension(parseExtensionOptions(raw));
      process.exit(code);
    });
}

/**
 * Runs the extension until it is told to stop; resolves with the process exit code. Order:
 * logger, buffer, sources (started), tables, registration and serving; then stop in reverse.
 */
export async function runExtension(options: ExtensionOptions): Promise<number> {
  const logger = createLogger(options.verbose);
  const clock = systemClock;
  const buffer = new EventBuffer(
    { retentionSeconds: options.retention, maxEvents: options.maxEvents },
    clock,
  );
  let sources: EventSource[] = [];
  let extension: RunningExtension | null = null;
  // Installed first: osqueryd may stop us while we are still starting.
  const onSignal = (signal: NodeJS.Signals): void => {
    setTimeout(() => process.exit(0), STOP_DEADLINE_MS).unref();
    if (extension) void extension.stop(`received ${signal}`, 0);
    else void stopSources(sources, logger).then(() => process.exit(0));
  };
  process.once('SIGTERM', onSignal);
  process.once('SIGINT', onSignal);
  try {
    sources = await createSources(options, { logger, clock });
    for (const s of sources) await s.start((rows) => buffer.add(rows));
    const tables = buildTables({ buffer, sources, options, logger, clock });
    extension = await startExtension({
      socket: options.socket,
      timeoutMs: options.timeout * 1000,
      intervalMs: options.interval * 1000,
      tables,
      logger,
    });
  } catch (err) {
    logger.error('cannot start the extension', { error: (err as Error).message });
    await stopSources(sources, logger);
    process.stderr.write(`process-terminations: ${(err as Error).message}\n`);
    return 1;
  }
  const exit = await extension.exited;
  setTimeout(() => process.exit(exit.code), STOP_DEADLINE_MS).unref();
  await stopSources(sources, logger);
  logger.info('extension stopped', { reason: exit.reason, code: exit.code });
  return exit.code;
}

async function stopSources(sources: readonly EventSource[], logger: Logger): Promise<void> {
  for (const s of sources) {
    await s
      .stop()
      .catch((err: unknown) =>
        logger.warn('source stop failed', { source: s.name, error: String(err) }),
      );
  }
}
