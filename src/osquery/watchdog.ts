import type { Logger } from '../log';
import { ManagerError, openManager } from './manager-client';

/** Outcome of one check: null while all is well, else why the extension should exit. */
export type ManagerCheck = () => Promise<string | null>;

/** Calls that fail without the manager being gone (timeouts) are tolerated this many times. */
export const MAX_SOFT_FAILURES = 3;

/**
 * Checks that osqueryd still lists `uuid` in extensions(): a fresh connection each time, as a
 * manager that restarted has a new socket. Returns a reason to exit when the socket is gone or
 * refuses, when our uuid is missing, or after MAX_SOFT_FAILURES failed calls in a row.
 */
export function registrationCheck(path: string, uuid: string, callTimeoutMs: number): ManagerCheck {
  let soft = 0;
  return async () => {
    try {
      const conn = await openManager(path, callTimeoutMs);
      try {
        const list = await conn.extensions();
        soft = 0;
        return list.has(uuid) ? null : `osqueryd no longer lists our uuid ${uuid}`;
      } finally {
        conn.close();
      }
    } catch (err) {
      const message = err instanceof Error ? err.message : String(err);
      if (err instanceof ManagerError && err.gone) return `osqueryd is gone: ${message}`;
      soft++;
      return soft >= MAX_SOFT_FAILURES ? `osqueryd stopped answering: ${message}` : null;
    }
  };
}

/**
 * Runs `check` every `intervalMs` (osqueryd's --extensions_interval) and calls `onGone` once
 * with the first reason it returns. Checks never overlap; the timer does not keep Node alive.
 */
export class Watchdog {
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private done = false;

  constructor(
    private readonly check: ManagerCheck,
    private readonly intervalMs: number,
    private readonly onGone: (reason: string) => void,
    private readonly logger: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), this.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    this.done = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  private async tick(): Promise<void> {
    if (this.running || this.done) return;
    this.running = true;
    try {
      const reason = await this.check();
      if (reason !== null && !this.done) {
        this.stop();
        this.onGone(reason);
      } else if (reason === null) {
        this.logger.debug('osqueryd still lists this extension');
      }
    } finally {
      this.running = false;
    }
  }
}
