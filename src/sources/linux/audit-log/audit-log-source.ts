import { constants } from 'node:fs';
import { access } from 'node:fs/promises';
import { AuditPipeline } from '../../../audit/pipeline';
import type { FilePosition } from '../../../follow/file-id';
import type { Line } from '../../../follow/line-splitter';
import { RotatingFollower } from '../../../follow/rotating-follower';
import { clip, silentLogger, type Logger } from '../../../log';
import { systemClock, type Clock } from '../../../model/clock';
import type { Termination } from '../../../model/termination';
import { CheckpointStore } from '../../../state/checkpoint-store';
import { prepareStateDir } from '../../../state/state-dir';
import {
  initialStatus,
  type EventSource,
  type SourceStatus,
  type TerminationSink,
} from '../../source';
import { auditLogAccessError } from './access-error';
import { auditLineTime } from './line-time';
import { Checkpointer } from './checkpointer';

export interface AuditLogSourceOptions {
  /** The live audit log; rotated files are `<path>.1`, `<path>.2`, ... */
  path: string;
  /** Where the checkpoint is kept; null keeps none (no loss detection across restarts). */
  stateDir: string | null;
  /** When the state directory is unusable, warn and run without checkpoints instead of failing. */
  stateDirOptional?: boolean;
  /** Rotated files last written longer ago than this are not read back at start. */
  retentionSeconds: number;
  logger?: Logger;
  clock?: Clock;
  /** Fallback poll interval, ms (fs.watch usually wakes it first). Default 200. */
  pollMs?: number;
  /** Quiet time after which every pending event is completed, ms. Default 200. */
  idleMs?: number;
}

const SOURCE = 'audit_log';

/**
 * The Linux audit log source: follows auditd's log across rotations (see RotatingFollower),
 * turns its lines into rows with an AuditPipeline, and keeps a checkpoint at an event boundary.
 *
 * At start it reads back every file written within the retention window, oldest first, so the
 * buffer holds the same rows after a restart as before (eids are stable; the buffer refuses a
 * row it already holds). When the log has been quiet for `idleMs` every pending event is
 * completed, so a kill appears at once even though auditd writes no EOE after a kill's
 * records; a record of the same event arriving later than that is then counted as a parse
 * error or a separate event instead.
 */
export class AuditLogSource implements EventSource {
  readonly name = SOURCE;
  private readonly st: SourceStatus = initialStatus(SOURCE);
  private readonly logger: Logger;
  private readonly clock: Clock;
  private pipeline: AuditPipeline | null = null;
  private follower: RotatingFollower | null = null;
  private checkpoints: Checkpointer | null = null;
  private sink: TerminationSink = () => undefined;
  private gaps = 0;
  private lastErrorLogged = '';

  constructor(private readonly options: AuditLogSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  async start(sink: TerminationSink): Promise<void> {
    this.sink = sink;
    const began = Date.now();
    const { path } = this.options;
    await access(path, constants.R_OK).catch((err: unknown) => {
      throw this.fail(auditLogAccessError(err, path));
    });
    const store = await this.openStore();
    const saved = (await store?.load(SOURCE, path)) ?? null;
    this.pipeline = new AuditPipeline({
      source: SOURCE,
      logger: this.logger,
      ingestClock: this.clock,
    });
    this.follower = this.createFollower(saved?.position ?? null);
    this.checkpoints = new Checkpointer(
      store,
      { source: SOURCE, input: path },
      () => this.follower?.position(this.pipeline?.pendingOffset() ?? null) ?? null,
      { clock: this.clock, logger: this.logger },
    );
    try {
      await this.follower.open();
    } catch (err) {
      await this.follower.stop();
      throw this.fail(auditLogAccessError(err, path));
    }
    // The backlog is read in the background: osqueryd expects registration within seconds,
    // and a full retention window of a busy log takes longer than that to parse.
    void this.follower.caughtUp.then(() => this.caughtUp(began));
  }

  /** Resolves once the backlog has been read (the state is `running` from then on). */
  backlogRead(): Promise<void> {
    return this.follower?.caughtUp ?? Promise.resolve();
  }

  private async caughtUp(began: number): Promise<void> {
    if (this.st.state === 'starting') this.st.state = 'running';
    await this.checkpoints?.now();
    this.logger.info('following the audit log', {
      path: this.options.path,
      checkpoint: this.checkpoints?.describe() ?? null,
      backlog_rows: this.st.rows,
      backlog_ms: Date.now() - began,
    });
  }

  async stop(): Promise<void> {
    await this.follower?.stop();
    await this.checkpoints?.now();
    if (this.st.state !== 'failed') this.st.state = 'stopped';
  }

  status(): SourceStatus {
    const stats = this.pipeline?.stats;
    return {
      ...this.st,
      events_read: stats?.events ?? 0,
      lost: (stats?.lost ?? 0) + this.gaps,
      parse_errors: stats?.parseErrors ?? 0,
      checkpoint: this.checkpoints?.describe() ?? null,
    };
  }

  private async openStore(): Promise<CheckpointStore | null> {
    const dir = this.options.stateDir;
    if (!dir) return null;
    try {
      return new CheckpointStore(await prepareStateDir(dir), this.logger);
    } catch (err) {
      if (!this.options.stateDirOptional) throw this.fail(err as Error);
      this.logger.warn('running without a checkpoint', { error: (err as Error).message });
      return null;
    }
  }

  private createFollower(resume: FilePosition | null): RotatingFollower {
    return new RotatingFollower({
      path: this.options.path,
      logger: this.logger,
      pollMs: this.options.pollMs,
      idleMs: this.options.idleMs,
      notBefore: this.clock.now() - this.options.retentionSeconds * 1000,
      lineTime: auditLineTime,
      resume,
      handlers: {
        lines: (lines) => this.onLines(lines),
        idle: () => this.onIdle(),
        gap: (reason) => this.onGap(reason),
        error: (err) => this.onError(err),
      },
    });
  }

  private onLines(lines: Line[]): void {
    const pipeline = this.pipeline;
    if (!pipeline) return;
    const rows: Termination[] = [];
    for (const l of lines) {
      for (const row of pipeline.push(l.text, l.offset)) rows.push(row);
    }
    this.emit(rows);
    this.checkpoints?.soon();
  }

  // Nothing new for a while: what is pending is all there will be of those events.
  private onIdle(): void {
    if (this.pipeline) this.emit(this.pipeline.flush(true));
    void this.checkpoints?.now();
  }

  private onGap(reason: string): void {
    this.gaps++;
    this.st.state = 'degraded';
    this.st.last_error = `input lost: ${reason}`;
  }

  private onError(err: Error): void {
    this.st.last_error = clip(err.message);
    if (err.message !== this.lastErrorLogged) {
      this.logger.warn('reading the audit log failed; retrying', { error: clip(err.message) });
      this.lastErrorLogged = err.message;
    }
  }

  private emit(rows: Termination[]): void {
    const last = rows.at(-1);
    if (!last) return;
    this.st.rows += rows.length;
    this.st.lag_ms = Math.max(0, Math.round(this.clock.now() - last.time * 1000));
    this.sink(rows);
  }

  private fail(err: Error): Error {
    this.st.state = 'failed';
    this.st.last_error = err.message;
    return err;
  }
}
