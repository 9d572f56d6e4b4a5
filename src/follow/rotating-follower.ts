import { stat } from 'node:fs/promises';
import { silentLogger, type Logger } from '../log';
import { openBacklog } from './backlog';
import { describePosition, fileIdOf, sameFile, type FilePosition } from './file-id';
import { findCopy, positionStillOnDisk } from './find-copy';
import type { Line } from './line-splitter';
import { isCode } from './log-family';
import { openSuccessors } from './successors';
import { seekToTime, type LineTime } from './time-seek';
import { TrackedFile } from './tracked-file';
import { Wakeup } from './wakeup';

/** What the follower reports. Handlers run synchronously and must not throw. */
export interface FollowerHandlers {
  /** Complete lines of one read, in file order, offsets in the follower's shared offset space. */
  lines(lines: Line[]): void;
  /** No new data arrived for `idleMs` after some did. */
  idle(): void;
  /** Input was skipped that could not be read (a gap of unknown size), already logged. */
  gap(reason: string): void;
  /** Reading failed; the follower tries again at the next wake. */
  error(err: Error): void;
}

export interface FollowerOptions {
  path: string;
  handlers: FollowerHandlers;
  logger?: Logger;
  /** Fallback poll interval; fs.watch usually wakes the follower first. Default 200. */
  pollMs?: number;
  /** Quiet time before `idle`. Default 200. */
  idleMs?: number;
  /** Bytes per read; the lines of one read are handed out at once. Default 256 KiB. */
  chunkBytes?: number;
  /** Rotated files last modified before this time (ms) are not read back. Default 0: all. */
  notBefore?: number;
  /**
   * The time of a line, unix seconds; with `notBefore`, the start of each file older than that
   * is skipped by bisection instead of read.
   */
  lineTime?: LineTime;
  /** Where a previous run stopped; checked to tell whether anything was lost while down. */
  resume?: FilePosition | null;
}

interface Finished {
  pos: FilePosition;
  base: number;
  end: number;
}

const REMEMBERED = 16;

/**
 * Follows a log that is rotated the way auditd does it (log -> log.1 -> log.2 ..., then a new
 * log), and survives copy-truncate, replacement and deletion. Files are read one after the
 * other, oldest first, each from an open descriptor, so a renamed or deleted file is finished
 * before the next one is started. Reading is serialized: one pump at a time.
 */
export class RotatingFollower {
  private queue: TrackedFile[] = [];
  private readonly finished: Finished[] = [];
  private nextBase = 0;
  private pumping: Promise<void> | null = null;
  private again = false;
  private stopped = false;
  private idleTimer: NodeJS.Timeout | null = null;
  private readonly buf: Buffer;
  private readonly wakeup: Wakeup;
  private readonly logger: Logger;

  constructor(private readonly options: FollowerOptions) {
    this.logger = options.logger ?? silentLogger;
    this.buf = Buffer.alloc(options.chunkBytes ?? 256 * 1024);
    this.wakeup = new Wakeup(options.path, options.pollMs ?? 200, this.logger);
  }

  /** Resolves once the backlog has been read to the live log's end (after `open`). */
  caughtUp: Promise<void> = Promise.resolve();

  /** Opens the files and reads the backlog through the live log's end, then keeps following. */
  async start(): Promise<void> {
    await this.open();
    await this.caughtUp;
  }

  /**
   * Checks the resume position and opens the backlog files; reading them goes on in the
   * background (see `caughtUp`), then following. Rejects when the live log cannot be opened.
   */
  async open(): Promise<void> {
    const { path, resume } = this.options;
    if (resume && !(await positionStillOnDisk(path, resume))) {
      this.reportGap('the file the last run stopped in is gone or shorter', resume);
    }
    this.queue = await openBacklog(path, this.options.notBefore ?? 0);
    await this.skipOlder();
    if (this.stopped) {
      await Promise.all(this.queue.map((f) => f.close()));
      return;
    }
    this.caughtUp = this.pump();
    this.wakeup.start(() => void this.pump());
  }

  // Starts each backlog file at the retention window instead of its first byte.
  private async skipOlder(): Promise<void> {
    const { notBefore, lineTime } = this.options;
    if (!notBefore || !lineTime) return;
    for (const f of this.queue) {
      f.seek(await seekToTime(f, (await f.stat()).size, notBefore / 1000, lineTime));
    }
  }

  /** Stops following and closes every file; `position` still answers. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.wakeup.stop();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    await this.pumping;
    await Promise.all(this.queue.map((f) => f.close()));
  }

  /**
   * The restart-safe position of `offset` (one handed out with a line), or of the reading
   * point when null. Null when the offset belongs to a file no longer remembered.
   */
  position(offset: number | null): FilePosition | null {
    const cur = this.queue[0];
    if (offset === null) return cur?.active ? cur.position() : (this.finished.at(-1)?.pos ?? null);
    for (const f of this.queue) {
      if (f.active && offset >= f.base && offset <= f.base + f.readOffset) {
        return f.position(offset - f.base);
      }
    }
    const done = this.finished.find((r) => offset >= r.base && offset <= r.end);
    return done ? { ...done.pos, offset: offset - done.base } : null;
  }

  /** Reads whatever is new; concurrent calls share one run. */
  pump(): Promise<void> {
    if (this.pumping) {
      this.again = true;
      return this.pumping;
    }
    this.pumping = this.run().finally(() => (this.pumping = null));
    return this.pumping;
  }

  private async run(): Promise<void> {
    do {
      this.again = false;
      try {
        await this.cycle();
      } catch (err) {
        this.options.handlers.error(err instanceof Error ? err : new Error(String(err)));
      }
    } while (this.again && !this.stopped);
  }

  private async cycle(): Promise<void> {
    while (!this.stopped) {
      const cur = this.queue[0];
      if (!cur) return;
      if (this.queue.length > 1) {
        await this.drain(cur);
        await this.finishFirst();
      } else if (!(await this.followLive(cur))) return;
    }
  }

  // Reads `file` to its end. The first read fixes its place in the shared offset space.
  private async drain(file: TrackedFile): Promise<void> {
    if (!file.active) {
      file.base = this.nextBase;
      await file.check(await file.stat());
    }
    let got = false;
    while (!this.stopped) {
      const lines = await file.read(this.buf);
      if (!lines) break;
      got = true;
      for (const l of lines) l.offset += file.base;
      if (lines.length > 0) this.options.handlers.lines(lines);
    }
    if (got) this.armIdle();
  }

  // Reads the live log; whether it changed in a way that needs another pass (truncated,
  // rotated, replaced). Content is checked before reading: reading a rewritten file from the
  // old offset would hand out the middle of other lines.
  private async followLive(cur: TrackedFile): Promise<boolean> {
    if (cur.active && (await cur.check(await cur.stat())) === 'truncated') {
      await this.truncated(cur);
      return true;
    }
    await this.drain(cur);
    const st = await statOrNull(this.options.path);
    // Gone (deleted, or renamed before its successor exists): a writer may still append to the
    // open descriptor, so keep reading it until another file takes the name.
    if (!st || sameFile(fileIdOf(st), cur.id)) return false;
    await this.drain(cur);
    const next = await openSuccessors(
      this.options.path,
      cur,
      this.finished.map((r) => r.pos),
    );
    this.queue.push(...next);
    return next.length > 0;
  }

  // The live log shrank or was rewritten in place: read the rest from its copy, if one is beside
  // it, then read the log again from byte 0.
  private async truncated(cur: TrackedFile): Promise<void> {
    const from = cur.position();
    const copy = from.fingerprint
      ? await findCopy(this.options.path, from.fingerprint, from.offset, cur.id)
      : null;
    this.remember(cur);
    cur.restart();
    const copyFile = copy ? await TrackedFile.open(copy.path).catch(() => null) : null;
    if (copyFile) {
      copyFile.seek(from.offset);
      this.queue.unshift(copyFile);
      this.logger.info('log truncated; reading the rest from its copy', { copy: copy?.path });
    } else if (from.offset > 0) {
      this.reportGap('the log was truncated and no copy of it was found beside it', from);
    }
  }

  private async finishFirst(): Promise<void> {
    const done = this.queue.shift();
    if (!done) return;
    this.remember(done);
    await done.close();
  }

  private remember(file: TrackedFile): void {
    const end = file.base + file.readOffset;
    this.finished.push({ pos: file.position(), base: file.base, end });
    if (this.finished.length > REMEMBERED) this.finished.shift();
    this.nextBase = end + 1;
  }

  private reportGap(reason: string, pos: FilePosition): void {
    this.logger.warn(`input lost: ${reason}`, { after: describePosition(pos) });
    this.options.handlers.gap(reason);
  }

  private armIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => this.options.handlers.idle(), this.options.idleMs ?? 200);
    this.idleTimer.unref();
  }
}

async function statOrNull(path: string) {
  try {
    return await stat(path);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null;
    throw err;
  }
}
