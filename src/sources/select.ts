import type { ExtensionOptions } from '../config/options';
import type { Logger } from '../log';
import type { Clock } from '../model/clock';
import type { EventSource } from './source';

/** What every source may need from the entry point. */
export interface SourceDeps {
  logger: Logger;
  clock: Clock;
}

/** A source this build cannot provide; the message says which and what to use instead. */
export class SourceUnavailableError extends Error {
  override readonly name = 'SourceUnavailableError';
  constructor(what: string) {
    super(
      `${what} is not available in this build; run the doctor command or choose another --source`,
    );
  }
}

/**
 * The event sources for `options`, not yet started. `--replay` replaces live sources; otherwise
 * `--source` picks one (auto: the best the host offers). Throws SourceUnavailableError for a
 * source this build lacks, or the source's own error when its input cannot be opened.
 */
export async function createSources(
  options: ExtensionOptions,
  deps: SourceDeps,
): Promise<EventSource[]> {
  const { logger, clock } = deps;
  // Each source is loaded on demand: only the chosen one's code (and parsers) start with us.
  if (options.replay && options.replay.length > 0) {
    const { ReplaySource } = await import('./replay-source.js');
    return [new ReplaySource(options.replay, { format: options.format, logger, clock })];
  }
  switch (options.source) {
    case 'auto': {
      const choice = await (await import('./auto.js')).chooseSource(options);
      logger.info('source auto chose a source', { source: choice.source, reason: choice.reason });
      return createSources({ ...options, source: choice.source }, deps);
    }
    case 'ebpf':
      return [new (await import('./linux/ebpf/source.js')).EbpfSource({ logger, clock })];
    case 'audit_log':
      return [(await import('./linux/audit-log/create.js')).createAuditLogSource(options, deps)];
    case 'audisp': {
      const { AudispSource } = await import('./linux/audisp/source.js');
      return [new AudispSource({ socketPath: options.audispSocket, logger, clock })];
    }
    case 'windows':
      return [(await import('./windows/create.js')).createWindowsSource(options, deps)];
    case 'eslogger':
      return [new (await import('./macos/eslogger-source.js')).EsloggerSource({ logger, clock })];
    default:
      throw new SourceUnavailableError(`source ${options.source}`);
  }
}
