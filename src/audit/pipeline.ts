import type { Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import type { Logger } from '../log';

/** Options of an {@link AuditPipeline}. */
export interface AuditPipelineOptions {
  /** Value for the `source` column: 'audit_log' | 'audisp' | 'replay'. */
  source: string;
  logger?: Logger;
  /** Clock for `ingest_time` (default systemClock). */
  ingestClock?: Clock;
  /** Event-time wait before an event with no PROCTITLE/EOE completes (default 2000 ms). */
  completionTimeoutMs?: number;
}

/** Counters of an {@link AuditPipeline}. */
export interface AuditPipelineStats {
  records: number;
  events: number;
  parseErrors: number;
  lost: number;
}

/** Audit log lines in, termination rows out (implementation in progress). */
export class AuditPipeline {
  readonly stats: AuditPipelineStats = { records: 0, events: 0, parseErrors: 0, lost: 0 };

  constructor(readonly options: AuditPipelineOptions) {}

  /** One line without its newline; `offset` = byte offset of the line in its file. */
  push(line: string, offset?: number): Termination[] {
    void line;
    void offset;
    return [];
  }

  /** Completes pending events older than the newest event time minus the timeout; all with `all`. */
  flush(all = false): Termination[] {
    void all;
    return [];
  }

  /** Byte offset of the first line of the oldest incomplete event, or null. */
  pendingOffset(): number | null {
    return null;
  }
}
