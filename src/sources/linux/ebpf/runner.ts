import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { clip, type Logger } from '../../../log';

/** Options of a {@link BpftraceRunner}. */
export interface RunnerOptions {
  command: string;
  args: string[];
  env: Record<string, string>;
  logger: Logger;
  /** Every stdout line, without its newline, in order. */
  onLine(line: string): void;
  /** Called when a running bpftrace ends without being asked to (before the restart wait). */
  onCrash(message: string): void;
  /** Called when a restarted bpftrace attached again. */
  onRecover(): void;
  /** First restart wait, doubled per failed attempt up to `maxBackoffMs`. */
  initialBackoffMs?: number;
  maxBackoffMs?: number;
  /** How long a start may take to compile and attach before it counts as failed. */
  attachTimeoutMs?: number;
  spawnFn?: typeof spawn;
}

// bpftrace 0.17 prints this on every start when it cannot raise RLIMIT_MEMLOCK; kernels since
// 5.11 account BPF memory to the cgroup instead, so the program loads anyway.
const MEMLOCK_NOISE = /RLIMIT_MEMLOCK/;
const STDERR_TAIL = 2000;

/**
 * Runs bpftrace as a child process (argument array, no shell) and keeps it running: when it
 * dies, the crash is reported and it is started again after a backoff (1 s doubling to 30 s by
 * default; reset once a start attaches). `start` resolves when the first process attached
 * (the owner calls {@link attached} on bpftrace's attach notice) and rejects, with bpftrace's
 * own error text, when it exits or times out first. Events between a crash and the next attach
 * are not seen.
 */
export class BpftraceRunner {
  private child: ChildProcess | null = null;
  private stderrTail = '';
  private stopping = false;
  private everAttached = false;
  private isAttached = false;
  private backoffMs: number;
  private timer: NodeJS.Timeout | null = null;
  private pending: { resolve(): void; reject(e: Error): void } | null = null;

  constructor(private readonly options: RunnerOptions) {
    this.backoffMs = options.initialBackoffMs ?? 1000;
  }

  /** Starts bpftrace; resolves once it attached its probes. */
  start(): Promise<void> {
    this.stopping = false;
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.launch();
    });
  }

  /** The owner saw bpftrace's attach notice on stdout. */
  attached(): void {
    if (this.isAttached) return;
    this.isAttached = true;
    this.backoffMs = this.options.initialBackoffMs ?? 1000;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) {
      this.pending.resolve();
      this.pending = null;
    } else if (this.everAttached) {
      this.options.onRecover();
    }
    this.everAttached = true;
  }

  /** Stops bpftrace (SIGINT, then SIGKILL after 3 s) and any pending restart. Idempotent. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      const kill = setTimeout(() => child.kill('SIGKILL'), 3000);
      child.once('exit', () => {
        clearTimeout(kill);
        resolve();
      });
      child.kill('SIGINT');
    });
  }

  private launch(): void {
    const o = this.options;
    this.isAttached = false;
    this.stderrTail = '';
    const child = (o.spawnFn ?? spawn)(o.command, o.args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, ...o.env },
    });
    this.child = child;
    child.on('error', (err) => this.ended(child, `cannot run ${o.command}: ${err.message}`));
    child.on('exit', (code, signal) => {
      const how = signal ? `signal ${signal}` : `code ${code}`;
      const tail = this.stderrTail.trim();
      this.ended(child, `bpftrace exited with ${how}${tail ? `: ${clip(tail, 500)}` : ''}`);
    });
    if (child.stdout) createInterface({ input: child.stdout }).on('line', (l) => o.onLine(l));
    if (child.stderr) createInterface({ input: child.stderr }).on('line', (l) => this.stderr(l));
    const limit = o.attachTimeoutMs ?? 60_000;
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.isAttached) child.kill('SIGKILL');
      this.stderrTail += `\n(no probes attached within ${limit} ms)`;
    }, limit);
  }

  private stderr(line: string): void {
    this.stderrTail = `${this.stderrTail}\n${line}`.slice(-STDERR_TAIL);
    if (MEMLOCK_NOISE.test(line)) this.options.logger.debug('bpftrace', { stderr: clip(line) });
    else this.options.logger.warn('bpftrace wrote to stderr', { stderr: clip(line) });
  }

  // Runs once per child: 'error' (spawn failed) and 'exit' can both fire.
  private ended(child: ChildProcess, message: string): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.pending) {
      this.pending.reject(new Error(message));
      this.pending = null;
      return;
    }
    if (this.stopping) return;
    this.options.onCrash(message);
    const wait = this.backoffMs;
    this.backoffMs = Math.min(wait * 2, this.options.maxBackoffMs ?? 30_000);
    this.options.logger.warn('restarting bpftrace', { in_ms: wait, reason: clip(message) });
    this.timer = setTimeout(() => {
      this.timer = null;
      if (!this.stopping) this.launch();
    }, wait);
  }
}
