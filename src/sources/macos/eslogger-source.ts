import { spawn, type ChildProcess } from 'node:child_process';
import { systemClock, type Clock } from '../../model/clock';
import { clip, silentLogger, type Logger } from '../../log';
import {
  initialStatus,
  type EventSource,
  type SourceStatus,
  type TerminationSink,
} from '../source';
import { EsloggerDecoder } from './eslogger-decoder';

export interface EsloggerSourceOptions {
  /** Path of eslogger (default /usr/bin/eslogger, macOS 13 and later); injectable for tests. */
  eslogger?: string;
  /** First restart delay after eslogger ends; doubles up to `restartMaxMs` (default 1000). */
  restartMinMs?: number;
  restartMaxMs?: number;
  /** How long eslogger must stay up before `start` resolves, when it prints nothing (300 ms). */
  startupGraceMs?: number;
  logger?: Logger;
  clock?: Clock;
}

// Kept as the last bytes of stderr, to explain why eslogger ended.
const STDERR_KEEP = 4096;

/**
 * Runs `eslogger exit signal` (EndpointSecurity, JSON lines on stdout) and hands on its rows in
 * message order. `start` resolves once eslogger runs, or rejects with what is missing (root,
 * Full Disk Access, macOS 13). When eslogger ends later it is restarted after a delay that
 * doubles from `restartMinMs` to `restartMaxMs` and resets once messages flow again; meanwhile
 * the state is `degraded`. Gaps in `global_seq_num` are counted as lost.
 */
export class EsloggerSource implements EventSource {
  readonly name = 'eslogger';
  private readonly statusRecord: SourceStatus = initialStatus('eslogger');
  private readonly decoder: EsloggerDecoder;
  private readonly logger: Logger;
  private readonly clock: Clock;
  private child: ChildProcess | null = null;
  private sink: TerminationSink = () => undefined;
  private stderr = '';
  private delayMs: number;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly options: EsloggerSourceOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.clock ?? systemClock;
    this.decoder = new EsloggerDecoder({ logger: this.logger, ingestClock: this.clock });
    this.delayMs = options.restartMinMs ?? 1000;
  }

  start(sink: TerminationSink): Promise<void> {
    this.sink = sink;
    this.stopped = false;
    return new Promise((resolve, reject) => {
      const child = this.launch();
      const ready = (): void => {
        clearTimeout(grace);
        child.off('close', failed);
        child.once('close', (code, signal) => this.ended(code, signal));
        this.statusRecord.state = 'running';
        resolve();
      };
      const failed = (code: number | null, signal: NodeJS.Signals | null): void => {
        clearTimeout(grace);
        child.stdout?.off('data', ready);
        this.child = null;
        this.statusRecord.state = 'failed';
        this.statusRecord.last_error = this.explain(code, signal);
        reject(new Error(this.statusRecord.last_error));
      };
      const grace = setTimeout(ready, this.options.startupGraceMs ?? 300);
      child.stdout?.once('data', ready);
      child.once('close', failed);
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    this.child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const closed = new Promise((resolve) => child.once('close', resolve));
      child.kill('SIGTERM');
      await closed;
    }
    this.statusRecord.state = 'stopped';
  }

  status(): SourceStatus {
    const s = this.statusRecord;
    s.events_read = this.decoder.stats.events;
    s.parse_errors = this.decoder.stats.parseErrors;
    s.lost = this.decoder.stats.lost;
    return { ...s };
  }

  private launch(): ChildProcess {
    const executable = this.options.eslogger ?? '/usr/bin/eslogger';
    this.stderr = '';
    this.decoder.restart();
    const child = spawn(executable, ['exit', 'signal'], { stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.on('error', (err) => {
      this.stderr += (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'ENOENT' : err.message;
    });
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (text: string) => {
      this.stderr = (this.stderr + text).slice(-STDERR_KEEP);
    });
    child.stdout?.setEncoding('utf8');
    child.stdout?.on('data', (text: string) => this.received(text));
    return child;
  }

  private received(text: string): void {
    const rows = this.decoder.push(text);
    this.delayMs = this.options.restartMinMs ?? 1000;
    if (this.statusRecord.state === 'degraded') this.statusRecord.state = 'running';
    if (rows.length === 0) return;
    this.statusRecord.rows += rows.length;
    const newest = Math.max(...rows.map((r) => r.time));
    this.statusRecord.lag_ms = Math.max(0, this.clock.now() - newest * 1000);
    this.sink(rows);
  }

  /** eslogger ended after start: flush its last line and restart it after the backoff delay. */
  private ended(code: number | null, signal: NodeJS.Signals | null): void {
    const rows = this.decoder.end();
    if (rows.length > 0) this.sink(rows);
    this.child = null;
    if (this.stopped) return;
    const reason = this.explain(code, signal);
    this.statusRecord.state = 'degraded';
    this.statusRecord.last_error = reason;
    this.logger.warn('eslogger ended; restarting it', {
      reason: clip(reason),
      delay_ms: this.delayMs,
    });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopped) this.launch().once('close', (c, s) => this.ended(c, s));
    }, this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, this.options.restartMaxMs ?? 60_000);
  }

  /** Why eslogger ended, with the fix when its stderr names a known cause. */
  private explain(code: number | null, signal: NodeJS.Signals | null): string {
    const said = this.stderr.trim();
    const how = signal ? `was killed by ${signal}` : `exited with status ${String(code)}`;
    if (said === 'ENOENT') {
      return `eslogger was not found at "${this.options.eslogger ?? '/usr/bin/eslogger'}"; it ships with macOS 13 and later`;
    }
    if (/NOT_PRIVILEGED|run as root/i.test(said)) {
      return `eslogger ${how}: it must run as root; run osqueryd (which starts this extension) as root (${clip(said)})`;
    }
    if (/NOT_PERMITTED|Full Disk Access|TCC/i.test(said)) {
      return (
        `eslogger ${how}: it lacks Full Disk Access; grant it to the program that starts it ` +
        `(osqueryd) in System Settings > Privacy & Security > Full Disk Access (${clip(said)})`
      );
    }
    return `eslogger ${how}${said ? `: ${clip(said)}` : ''}`;
  }
}
