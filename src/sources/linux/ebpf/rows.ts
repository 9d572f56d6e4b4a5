import type { Clock } from '../../../model/clock';
import { dumpsCore, signalName } from '../../../model/signals';
import { emptyTermination, type Termination } from '../../../model/termination';
import type { BpfRecord, ExitRecord, SignalRecord } from './parse';

/** Options of {@link EbpfRows}. */
export interface EbpfRowsOptions {
  /** `/proc/sys/kernel/random/boot_id`: ktime restarts at boot, so eids carry the boot. */
  bootId: string;
  /** Converts a CLOCK_MONOTONIC nanosecond time to unix milliseconds. */
  ktimeToUnixMs(ktime: bigint): number;
  /** Clock for `ingest_time`. */
  clock: Clock;
  /** Most exec paths remembered (oldest forgotten first); default 32768, the default pid_max. */
  maxPaths?: number;
}

// signal_generate's result values (include/trace/events/signal.h): only OVERFLOW_FAIL means the
// signal was not queued and the sender saw an error.
const TRACE_SIGNAL_OVERFLOW_FAIL = 3;

/**
 * Turns parsed bpftrace records into rows. Exec records only teach it the path of a pid (kept
 * until that pid exits, bounded by `maxPaths`); exit records become `exit` or `crash` rows;
 * signal records a process sends to another become `signal` rows. A death by signal also
 * carries the actor of the last signal row for that pid when it was the same signal (the
 * sender of the SIGKILL is the killer); other deaths have no actor. A signal a process sends to
 * itself (raise, abort) is skipped: its death, if any, is the exit row. Not thread-safe; one
 * instance per bpftrace process keeps the pid map consistent.
 */
export class EbpfRows {
  private readonly paths = new Map<number, string>();
  private readonly maxPaths: number;
  /** The last signal row per target pid, to name the actor on that pid's death by signal. */
  private readonly lastSignal = new Map<number, Termination>();

  constructor(private readonly options: EbpfRowsOptions) {
    this.maxPaths = options.maxPaths ?? 32_768;
  }

  /** Remembers the executable of a pid that ran before tracing began, unless an exec is known. */
  seedPath(pid: number, path: string): void {
    if (!this.paths.has(pid)) this.remember(pid, path);
  }

  /** The rows for one record (none for exec, lost, attach and error records). */
  rows(record: BpfRecord): Termination[] {
    switch (record.type) {
      case 'exec':
        this.remember(record.pid, record.path);
        return [];
      case 'exit':
        return [this.exitRow(record)];
      case 'signal': {
        if (isSelfSignal(record)) return [];
        const row = this.signalRow(record);
        bounded(this.lastSignal, record.target, row, this.maxPaths);
        return [row];
      }
      default:
        return [];
    }
  }

  private exitRow(r: ExitRecord): Termination {
    const row = this.base(r.ktime, r.pid, 'exit');
    const sig = r.status & 0x7f;
    row.pid = r.pid;
    row.name = r.comm || null;
    row.path = this.paths.get(r.pid) ?? null;
    this.paths.delete(r.pid);
    row.parent = r.ppid > 0 ? r.ppid : null;
    row.uid = r.uid;
    if (sig === 0) {
      row.exit_code = (r.status >> 8) & 0xff;
    } else {
      row.signal = sig;
      row.signal_name = signalName(sig);
      if (dumpsCore(sig)) row.kind = 'crash';
      this.copyActor(row, this.lastSignal.get(r.pid));
    }
    this.lastSignal.delete(r.pid);
    return row;
  }

  // A death by the very signal another process last sent names that process as the actor.
  private copyActor(row: Termination, sent: Termination | undefined): void {
    if (!sent || sent.signal !== row.signal) return;
    row.actor_pid = sent.actor_pid;
    row.actor_name = sent.actor_name;
    row.actor_path = sent.actor_path;
    row.actor_uid = sent.actor_uid;
  }

  private signalRow(r: SignalRecord): Termination {
    const row = this.base(r.ktime, r.target, 'signal');
    row.pid = r.target;
    row.name = r.targetComm || null;
    row.path = this.paths.get(r.target) ?? null;
    row.signal = r.sig;
    row.signal_name = signalName(r.sig);
    row.actor_pid = r.pid;
    row.actor_name = r.comm || null;
    row.actor_path = this.paths.get(r.pid) ?? null;
    row.actor_uid = r.uid;
    row.success = r.result === TRACE_SIGNAL_OVERFLOW_FAIL ? 0 : 1;
    return row;
  }

  private base(ktime: bigint, pid: number, kind: Termination['kind']): Termination {
    const ms = this.options.ktimeToUnixMs(ktime);
    return emptyTermination({
      time: Math.floor(ms / 1000),
      ingest_time: Math.floor(this.options.clock.now() / 1000),
      eid: `ebpf:${this.options.bootId}:${ktime}:${pid}`,
      kind,
      source: 'ebpf',
    });
  }

  private remember(pid: number, path: string): void {
    bounded(this.paths, pid, path, this.maxPaths);
  }
}

/** Sets `key` as the newest entry and forgets the oldest beyond `max`. */
function bounded<V>(map: Map<number, V>, key: number, value: V, max: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > max) {
    const oldest = map.keys().next();
    if (!oldest.done) map.delete(oldest.value);
  }
}

/** Sent by the target itself: same process (tgid) or same thread as the addressed task. */
function isSelfSignal(r: SignalRecord): boolean {
  return r.target === r.pid || r.target === r.tid;
}

/** A ktime-to-unix converter anchored now: CLOCK_MONOTONIC (Node's hrtime) against Date.now. */
export function monotonicToUnix(
  nowMs: number = Date.now(),
  monoNs: bigint = process.hrtime.bigint(),
): (ktime: bigint) => number {
  const offsetNs = BigInt(Math.round(nowMs)) * 1_000_000n - monoNs;
  return (ktime) => Number((ktime + offsetNs) / 1_000_000n);
}
