import type { ExtensionOptions } from '../../config/options';
import type { Logger } from '../../log';
import type { Clock } from '../../model/clock';
import { defaultStateDir } from '../../state/state-dir';
import { WindowsEventLogSource } from './windows-source';

/** The windows source for the extension's options (`--interval`, `--retention`, `--state-dir`). */
export function createWindowsSource(
  options: Pick<ExtensionOptions, 'interval' | 'retention' | 'stateDir'>,
  deps: { logger: Logger; clock: Clock },
): WindowsEventLogSource {
  return new WindowsEventLogSource({
    intervalMs: options.interval * 1000,
    retentionSeconds: options.retention,
    stateDir: options.stateDir ?? defaultStateDir(),
    logger: deps.logger,
    clock: deps.clock,
  });
}
