import { promises as fs } from 'node:fs';
import { clip, silentLogger, type Logger } from '../../../log';
import { systemClock, type Clock } from '../../../model/clock';
import type { Termination } from '../../../model/termination';
import {
  initialStatus,
  type EventSource,
  type SourceStatus,
  type TerminationSink,
} from '../../source';
import { parseBpftraceLine } from './parse';
import { ebpfRequirements, requirementError, type PreflightHost } from './preflight';
import { bpftraceArgs, bpftraceEnv } from './program';
import { EbpfRows, monotonicToUnix } from './rows';
import { BpftraceRunner, type RunnerOptions } from './runner';

/** Options of an {@link EbpfSource}; everything but the logger is for tests. */
export interface EbpfSourceOptions {
  logger?: Logger;
  clock?: Clock;
  /** The bpftrace binary (default `bpftrace` on PATH). */
  bpftrace?: string;
  /** Host double for the start-up checks; `null` skips them (tests with a fake bpftrace). */
  preflightHost?: PreflightHost | null;
  /** Extra runner settings (backoff, attach timeout, spawn double). */
  runner?: Partial<
    Pick<RunnerOptions, 'initialBackoffMs' | 'maxBackoffMs' | 'attachTimeoutMs' | 'spawnFn'>
  >;
  bootId?: string;
}

/**
 * The `ebpf` source: process exits, deaths by signal and signals sent between processes, from
 * kernel tracepoints through bpftrace. It sees every exit, including SIGKILL deaths that audit
 * syscall rules cannot see, but not the login uid and nothing from before it started.
 * `start` checks root, bpftrace, BTF, tracefs (mounting it) and the tracepoints and rejects with
 * every fix when one is missing; then it resolves once bpftrace attached. bpftrace's lost-event
 * notices are added to `lost`; a dying bpftrace is restarted with backoff (state `degraded`
 * until it attaches again).
 */
export class EbpfSource implements EventSource {
  readonly name = 'ebpf';
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly state: SourceStatus = initialStatus('ebpf');
  private runner: BpftraceRunner | null = null;
  private rows: EbpfRows | null = null;
  private sink: TerminationSink = () => undefined;
  private loggedErrors = 0;

  constructor(private readonly options: EbpfSourceOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
  }

  async start(sink: TerminationSink): Promise<void> {
    this.sink = sink;
    const bpftrace = this.options.bpftrace ?? 'bpftrace';
    if (this.options.preflightHost !== null) {
      const reqs = await ebpfRequirements(this.options.preflightHost, { bpftrace, mount: true });
      const error = requirementError(reqs);
      if (error) return this.fail(error);
    }
    const bootId = this.options.bootId ?? (await readBootId());
    this.rows = new EbpfRows({ bootId, ktimeToUnixMs: monotonicToUnix(), clock: this.clock });
    this.runner = new BpftraceRunner({
      command: bpftrace,
      args: bpftraceArgs(),
      env: bpftraceEnv(),
      logger: this.logger,
      onLine: (line) => this.onLine(line),
      onCrash: (message) => this.onCrash(message),
      onRecover: () => this.onRecover(),
      ...this.options.runner,
    });
    try {
      await this.runner.start();
    } catch (err) {
      this.runner = null;
      const why = err instanceof Error ? err.message : String(err);
      return this.fail(`bpftrace did not start: ${why}`);
    }
    this.state.state = 'running';
    this.logger.info('ebpf source started', { bpftrace });
    await this.seedPaths();
  }

  async stop(): Promise<void> {
    const runner = this.runner;
    this.runner = null;
    if (runner) await runner.stop();
    if (this.state.state !== 'failed') this.state.state = 'stopped';
  }

  status(): SourceStatus {
    return { ...this.state };
  }

  private onLine(line: string): void {
    const record = parseBpftraceLine(line);
    switch (record.type) {
      case 'attached':
        this.runner?.attached();
        return;
      case 'lost':
        this.state.lost += record.count;
        this.logger.warn('bpftrace lost events', { count: record.count, total: this.state.lost });
        return;
      case 'error':
        this.parseError(record.reason, line);
        return;
      case 'ignored':
        return;
      default:
        this.state.events_read++;
        this.emit(this.rows?.rows(record) ?? []);
    }
  }

  private emit(rows: Termination[]): void {
    if (rows.length === 0) return;
    const last = rows[rows.length - 1] as Termination;
    this.state.lag_ms = Math.max(0, this.clock.now() - last.time * 1000);
    this.state.rows += rows.length;
    this.sink(rows);
  }

  private parseError(reason: string, line: string): void {
    this.state.parse_errors++;
    // Each bad line is counted; the first few are logged so a format drift is visible.
    if (this.loggedErrors++ < 10) {
      this.logger.warn('unparsed bpftrace line', { reason, line: clip(line) });
    }
  }

  private onCrash(message: string): void {
    this.state.state = 'degraded';
    this.state.last_error = message;
    this.logger.error('bpftrace stopped; events are missed until it restarts', {
      error: clip(message),
    });
  }

  private onRecover(): void {
    this.state.state = 'running';
    this.logger.info('bpftrace attached again');
  }

  private fail(message: string): never {
    this.state.state = 'failed';
    this.state.last_error = message;
    throw new Error(message);
  }

  // Processes that started before tracing have no exec record: take their path from /proc.
  private async seedPaths(): Promise<void> {
    let entries: string[];
    try {
      entries = await fs.readdir('/proc');
    } catch {
      return;
    }
    for (const entry of entries) {
      if (!/^\d+$/.test(entry)) continue;
      const path = await fs.readlink(`/proc/${entry}/exe`).catch(() => null);
      if (path) this.rows?.seedPath(Number(entry), path.replace(/ \(deleted\)$/, ''));
    }
  }
}

async function readBootId(): Promise<string> {
  try {
    return (await fs.readFile('/proc/sys/kernel/random/boot_id', 'utf8')).trim();
  } catch {
    return 'noboot';
  }
}
