import type { ExtensionOptions } from '../config/options';
import type { Logger } from '../log';
import type { Clock } from '../model/clock';
import { chooseSource } from './auto';
import { AudispSource } from './linux/audisp/source';
import { EbpfSource } from './linux/ebpf/source';
import type { EventSource } from './source';
import { ReplaySource } from './replay-source';
import { createAuditLogSource } from './linux/audit-log/create';
import { createWindowsSource } from './windows/create';
import { EsloggerSource } from './macos/eslogger-source';

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
  if (options.replay && options.replay.length > 0) {
    const { format } = options;
    return [new ReplaySource(options.replay, { format, logger: deps.logger, clock: deps.clock })];
  }
  switch (options.source) {
    case 'auto': {
      const choice = await chooseSource(options);
      deps.logger.info('source auto chose a source', {
        source: choice.source,
        reason: choice.reason,
      });
      return createSources({ ...options, source: choice.source }, deps);
    }
    case 'ebpf':
      return [new EbpfSource({ logger: deps.logger, clock: deps.clock })];
    case 'audit_log':
      return [createAuditLogSource(options, deps)];
    case 'audisp':
      return [
        new AudispSource({
          socketPath: options.audispSocket,
          logger: deps.logger,
          clock: deps.clock,
        }),
      ];
    case 'windows':
      return [createWindowsSource(options, deps)];
    case 'eslogger':
      return [new EsloggerSource({ logger: deps.logger, clock: deps.clock })];
    default:
      throw new SourceUnavailableError(`source ${options.source}`);
  }
}
