import { describePosition, type FilePosition } from '../../../follow/file-id';
import type { Logger } from '../../../log';
import type { Clock } from '../../../model/clock';
import type { CheckpointStore } from '../../../state/checkpoint-store';

/**
 * Saves a source's resume position at most once per `everyMs`, one write at a time, skipping a
 * position equal to the last one saved. A failed write is logged once and retried next time;
 * reading goes on either way.
 */
export class Checkpointer {
  private saved: FilePosition | null = null;
  private writing: Promise<void> = Promise.resolve();
  private timer: NodeJS.Timeout | null = null;
  private failing = false;

  constructor(
    private readonly store: CheckpointStore | null,
    private readonly key: { source: string; input: string },
    private readonly current: () => FilePosition | null,
    private readonly deps: { clock: Clock; logger: Logger; everyMs?: number },
  ) {}

  /** The last position written, human-readable, or null. */
  describe(): string | null {
    return this.saved ? describePosition(this.saved) : null;
  }

  /** Asks for a save within `everyMs`. */
  soon(): void {
    if (this.timer || !this.store) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.now();
    }, this.deps.everyMs ?? 1000);
    this.timer.unref();
  }

  /** Saves the current position now (after any write in progress). */
  now(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.writing = this.writing.then(() => this.write());
    return this.writing;
  }

  private async write(): Promise<void> {
    const pos = this.current();
    if (!this.store || !pos || (this.saved && samePosition(pos, this.saved))) return;
    try {
      await this.store.save(this.key.source, this.key.input, pos, this.deps.clock.now());
      this.saved = pos;
      this.failing = false;
    } catch (err) {
      if (!this.failing) this.deps.logger.warn('cannot save checkpoint', { error: String(err) });
      this.failing = true;
    }
  }
}

function samePosition(a: FilePosition, b: FilePosition): boolean {
  return a.dev === b.dev && a.ino === b.ino && a.offset === b.offset;
}
