import net from 'node:net';
import { createInterface } from 'node:readline';
import { AuditPipeline } from '../../../audit/pipeline';
import { clip, silentLogger, type Logger } from '../../../log';
import { systemClock, type Clock } from '../../../model/clock';
import type { Termination } from '../../../model/termination';
import {
  initialStatus,
  type EventSource,
  type SourceStatus,
  type TerminationSink,
} from '../../source';
import { enablePluginCommand } from './plugin';

/** Options of an {@link AudispSource}. */
export interface AudispSourceOptions {
  /** The af_unix plugin's socket (`--audisp-socket`). */
  socketPath: string;
  logger?: Logger;
  clock?: Clock;
  /** First reconnect wait, doubled per failed attempt up to `maxBackoffMs` (default 500 / 10000). */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How often held events are checked for completion (default 1000 ms). */
  flushIntervalMs?: number;
  /** Event-time wait before an event without EOE completes (passed to the pipeline). */
  completionTimeoutMs?: number;
}

/**
 * The `audisp` source: audit records as auditd dispatches them to its af_unix plugin socket, in
 * `format = string` (the audit.log line format), parsed by the shared {@link AuditPipeline}.
 * `start` resolves once connected and rejects, with the command that enables the plugin, when
 * the socket cannot be reached. When auditd closes the socket (restart, reload) the events
 * held so far are completed and the source reconnects with backoff (500 ms doubling to 10 s),
 * state `degraded` meanwhile. Records auditd dispatched while nobody was connected are gone: the
 * socket has no replay, so there is no checkpoint.
 */
export class AudispSource implements EventSource {
  readonly name = 'audisp';
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly state: SourceStatus = initialStatus('audisp');
  private readonly pipeline: AuditPipeline;
  private sink: TerminationSink = () => undefined;
  private socket: net.Socket | null = null;
  private stopped = false;
  private backoffMs: number;
  private retry: NodeJS.Timeout | null = null;
  private flusher: NodeJS.Timeout | null = null;
  private lastLineAt = 0;

  constructor(private readonly options: AudispSourceOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.backoffMs = options.initialBackoffMs ?? 500;
    this.pipeline = new AuditPipeline({
      source: 'audisp',
      logger: this.logger,
      ingestClock: this.clock,
      ...(options.completionTimeoutMs ? { completionTimeoutMs: options.completionTimeoutMs } : {}),
    });
  }

  async start(sink: TerminationSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    try {
      this.socket = await this.connect();
    } catch (err) {
      const message = startError(this.options.socketPath, err);
      this.state.state = 'failed';
      this.state.last_error = message;
      throw new Error(message);
    }
    this.state.state = 'running';
    const every = this.options.flushIntervalMs ?? 1000;
    this.flusher = setInterval(() => this.tick(), every);
    this.logger.info('audisp source connected', { socket: this.options.socketPath });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.retry) clearTimeout(this.retry);
    if (this.flusher) clearInterval(this.flusher);
    this.retry = null;
    this.flusher = null;
    this.socket?.destroy();
    this.socket = null;
    this.emit(this.pipeline.flush(true));
    if (this.state.state !== 'failed') this.state.state = 'stopped';
  }

  status(): SourceStatus {
    const s = this.pipeline.stats;
    return { ...this.state, events_read: s.events, lost: s.lost, parse_errors: s.parseErrors };
  }

  private connect(): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(this.options.socketPath);
      socket.once('error', reject);
      socket.once('connect', () => {
        socket.off('error', reject);
        this.attach(socket);
        resolve(socket);
      });
    });
  }

  private attach(socket: net.Socket): void {
    socket.on('error', (err) => {
      this.state.last_error = `audisp socket error: ${err.message}`;
    });
    socket.on('close', () => this.closed(socket));
    createInterface({ input: socket, crlfDelay: Infinity }).on('line', (line) => {
      this.lastLineAt = this.clock.now();
      this.emit(this.pipeline.push(line));
    });
  }

  private closed(socket: net.Socket): void {
    if (this.socket !== socket || this.stopped) return;
    this.socket = null;
    // Nothing more of the held events will arrive on a new connection: complete them now.
    this.emit(this.pipeline.flush(true));
    this.state.state = 'degraded';
    this.state.last_error = `auditd closed ${this.options.socketPath}`;
    this.logger.warn('audisp socket closed; reconnecting', { socket: this.options.socketPath });
    this.scheduleReconnect();
  }

  private scheduleReconnect(): void {
    const wait = this.backoffMs;
    this.backoffMs = Math.min(wait * 2, this.options.maxBackoffMs ?? 10_000);
    this.retry = setTimeout(() => void this.reconnect(), wait);
  }

  private async reconnect(): Promise<void> {
    this.retry = null;
    if (this.stopped) return;
    try {
      const socket = await this.connect();
      if (this.stopped) {
        socket.destroy();
        return;
      }
      this.socket = socket;
      this.backoffMs = this.options.initialBackoffMs ?? 500;
      this.state.state = 'running';
      this.logger.info('audisp socket reconnected', { socket: this.options.socketPath });
    } catch (err) {
      this.state.last_error = `cannot reconnect: ${err instanceof Error ? err.message : String(err)}`;
      this.logger.debug('audisp reconnect failed', { error: clip(this.state.last_error) });
      this.scheduleReconnect();
    }
  }

  // Events normally end with EOE; one without it completes on event time, or, when the
  // socket has been quiet for the completion timeout, at once.
  private tick(): void {
    const quietMs = this.clock.now() - this.lastLineAt;
    const all = quietMs >= (this.options.completionTimeoutMs ?? 2000);
    this.emit(this.pipeline.flush(all));
  }

  private emit(rows: Termination[]): void {
    if (rows.length === 0) return;
    const last = rows[rows.length - 1] as Termination;
    this.state.rows += rows.length;
    this.state.lag_ms = Math.max(0, this.clock.now() - last.time * 1000);
    this.sink(rows);
  }
}

function startError(socketPath: string, err: unknown): string {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  const why =
    code === 'ENOENT'
      ? `${socketPath} does not exist: the af_unix plugin is not enabled or auditd is not running`
      : code === 'ECONNREFUSED'
        ? `nothing listens on ${socketPath}: auditd is not running or its af_unix plugin is off`
        : `cannot connect to ${socketPath}: ${err instanceof Error ? err.message : String(err)}`;
  return `the audisp source cannot start: ${why}; fix: ${enablePluginCommand()} (or use --source audit_log)`;
}
