import { EventBuffer } from '../buffer/event-buffer';
import type { ExtensionOptions } from '../config/options';
import type { Logger } from '../log';
import { EventTimeClock, systemClock } from '../model/clock';
import { startExtension, type RunningExtension } from '../osquery/extension';
import type { EventSource } from '../sources/source';
import { createSources } from '../sources/select';
import { buildTables } from '../tables';
import { createLogger } from './logging';

/** A stop (signal, shutdown, osqueryd gone) must finish within this; then we exit anyway. */
const STOP_DEADLINE_MS = 1800;

/**
 * Runs the extension until it is told to stop; resolves with the process exit code. Order:
 * logger, buffer, sources (started), tables, registration and serving; then stop in reverse.
 */
export async function runExtension(options: ExtensionOptions): Promise<number> {
  const logger = createLogger(options.verbose);
  const clock = systemClock;
  // Recorded files expire on their own timeline; live rows on the wall clock.
  const eventClock = options.replay?.length ? new EventTimeClock() : null;
  const buffer = new EventBuffer(
    { retentionSeconds: options.retention, maxEvents: options.maxEvents },
    eventClock ?? clock,
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
    const tables = await buildTables({ buffer, sources, options, logger, clock });
    // Register before reading anything: osqueryd gives an extension --extensions_timeout
    // seconds, and a source's backlog can take longer. Rows appear as they are read.
    extension = await startExtension({
      socket: options.socket,
      timeoutMs: options.timeout * 1000,
      intervalMs: options.interval * 1000,
      tables,
      logger,
    });
    for (const s of sources) {
      await s.start((rows) => {
        eventClock?.observe(rows);
        buffer.add(rows);
      });
    }
  } catch (err) {
    const message = (err as Error).message;
    logger.error('cannot start the extension', { error: message });
    await stopSources(sources, logger);
    if (extension) await extension.stop(`cannot start: ${message}`, 1);
    process.stderr.write(`process-terminations: ${message}\n`);
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
