import { watch, type FSWatcher } from 'node:fs';
import { dirname } from 'node:path';
import type { Logger } from '../log';

/**
 * Calls `wake` soon after anything changes in the log's directory (inotify through fs.watch:
 * writes, renames, creates) and, as a fallback for file systems where events are missed, every
 * `pollMs`. Both are unref'd: they never keep the process alive on their own.
 */
export class Wakeup {
  private watcher: FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly path: string,
    private readonly pollMs: number,
    private readonly logger: Logger,
  ) {}

  start(wake: () => void): void {
    try {
      this.watcher = watch(dirname(this.path), { persistent: false }, () => wake());
      this.watcher.on('error', (err) => {
        this.logger.debug('directory watch failed; polling only', { error: String(err) });
        this.closeWatcher();
      });
    } catch (err) {
      this.logger.debug('directory watch unavailable; polling only', { error: String(err) });
    }
    this.timer = setInterval(wake, this.pollMs);
    this.timer.unref();
  }

  stop(): void {
    this.closeWatcher();
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private closeWatcher(): void {
    this.watcher?.close();
    this.watcher = null;
  }
}
