import type { Termination } from '../model/termination';

/** Where a source stands; `degraded` keeps running but is losing or missing events. */
export type SourceState = 'starting' | 'running' | 'degraded' | 'stopped' | 'failed';

/** Counters a source keeps about itself; the status table shows them. */
export interface SourceStatus {
  source: string;
  state: SourceState;
  /** Input events (audit events, XML events, JSON lines) read since start. */
  events_read: number;
  /** Rows handed to the sink since start. */
  rows: number;
  /** Events known to be lost upstream: audit serial gaps, eBPF lost counts, eslogger seq gaps. */
  lost: number;
  /** Input that could not be parsed and was skipped (each counted and logged once, clipped). */
  parse_errors: number;
  /** Milliseconds between the newest event's time and when it was read, or null. */
  lag_ms: number | null;
  last_error: string | null;
  /** Where the source would resume, human-readable (file, inode and offset; record ids). */
  checkpoint: string | null;
}

/** Receives rows in the order the source produced them. Must not throw. */
export type TerminationSink = (rows: readonly Termination[]) => void;

/**
 * The contract every event source implements, whatever the platform. `start` resolves once the
 * source is reading (backlog within the retention window included) or rejects with an error
 * that says what is missing and how to fix it. `stop` is idempotent and releases every file,
 * socket and child process. Sources emit rows in event order per input stream; rows of
 * different streams may interleave.
 */
export interface EventSource {
  readonly name: string;
  start(sink: TerminationSink): Promise<void>;
  stop(): Promise<void>;
  status(): SourceStatus;
}

/** A fresh status record with every counter at zero. */
export function initialStatus(source: string): SourceStatus {
  return {
    source,
    state: 'starting',
    events_read: 0,
    rows: 0,
    lost: 0,
    parse_errors: 0,
    lag_ms: null,
    last_error: null,
    checkpoint: null,
  };
}
