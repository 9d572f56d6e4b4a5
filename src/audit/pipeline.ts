import { systemClock, type Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import { clip, silentLogger, type Logger } from '../log';
import { Assembler, StringRecord, syscallOf } from './assemble';
import { ByteRecord, parseHeaderBytes, type RecordText } from './byte-record';
import { newEvent, type AuditEvent } from './event';
import { interpretEvent } from './interpret';
import { newHeader, parseHeader, type RecordHeader } from './parse-record';
import { RecordType, isDaemonRecord, isStandalone } from './record-types';
import { SerialTracker } from './serials';

/** Options of an {@link AuditPipeline}. */
export interface AuditPipelineOptions {
  /** Value for the `source` column: 'audit_log' | 'audisp' | 'replay'. */
  source: string;
  logger?: Logger;
  /** Clock for `ingest_time` (default systemClock). */
  ingestClock?: Clock;
  /** Event-time wait before an event with no PROCTITLE/EOE completes (default 2000 ms). */
  completionTimeoutMs?: number;
  /** Open events kept at most; beyond it the oldest completes early (default 10000). */
  maxPendingEvents?: number;
}

/** Counters of an {@link AuditPipeline}; `evicted` counts events completed early for room. */
export interface AuditPipelineStats {
  records: number;
  events: number;
  parseErrors: number;
  lost: number;
  evicted: number;
}

/** The result of the many calls that complete nothing: shared, so it is frozen. */
const NO_ROWS: Termination[] = Object.freeze([]) as unknown as Termination[];

/** Unreadable lines logged one by one before only counting them. */
const LOGGED_ERRORS = 10;

/**
 * Audit log lines in, `process_terminations` rows out: parse (parse-record.ts), assemble
 * (assemble.ts), interpret (interpret.ts). Rows come out when their event completes, in
 * completion order; everything runs on event time, so a replayed file always gives the same
 * rows (only `ingest_time` follows the ingest clock). Not safe for concurrent use: one pipeline
 * per stream. Lines that are not audit records are counted in `parseErrors` and skipped;
 * empty lines and `#` comments are ignored.
 */
export class AuditPipeline {
  private readonly header = newHeader();
  private readonly logger: Logger;
  private readonly clock: Clock;
  private readonly assembler: Assembler;
  private readonly serials = new SerialTracker();
  private readonly counts = { records: 0, events: 0, parseErrors: 0 };
  /** Rows completed by the current call. */
  private out: Termination[] = [];
  private readonly onNewEvent = (h: RecordHeader): void => this.serials.see(h.node, h.serial);
  /** Reused per line, so reading a record allocates nothing until its text is kept. */
  private readonly text = new StringRecord();
  private readonly bytes = new ByteRecord(syscallOf);

  constructor(private readonly options: AuditPipelineOptions) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.ingestClock ?? systemClock;
    this.assembler = new Assembler(
      options.completionTimeoutMs ?? 2000,
      Math.max(1, options.maxPendingEvents ?? 10_000),
      (event, kept) => this.completed(event, kept),
    );
  }

  /** Counters so far. */
  get stats(): Readonly<AuditPipelineStats> {
    return {
      ...this.counts,
      lost: this.serials.lost,
      evicted: this.assembler.evicted,
    };
  }

  /**
   * One line without its newline; `offset` = byte offset of the line in its file. Returns
   * rows of events this line completed. An empty result is a shared frozen array: copy
   * before adding to it.
   */
  push(line: string, offset?: number): Termination[] {
    this.out = NO_ROWS;
    const h = this.header;
    if (!parseHeader(line, h)) {
      if (line.length > 0 && line.charCodeAt(0) !== 35 /* # */ && line.trim() !== '') {
        this.parseError(line, 'skipped a line that is not an audit record', offset);
      }
      return NO_ROWS;
    }
    this.record(this.text.reset(line), offset);
    return this.out;
  }

  /**
   * {@link push} for a line given as bytes, buf[start, end) without its newline, that are all
   * ASCII: gives the same rows and counts, but decodes only the records an event keeps. The
   * bytes are not kept after the call, so the caller may reuse the buffer.
   */
  pushBytes(buf: Buffer, start: number, end: number, offset?: number): Termination[] {
    if (!parseHeaderBytes(buf, start, end, this.header)) {
      return this.push(buf.toString('latin1', start, end), offset);
    }
    this.out = NO_ROWS;
    this.bytes.reset(buf, start, end);
    this.record(this.bytes, offset);
    return this.out;
  }

  /** One record whose header is in `this.header`. */
  private record(rec: RecordText, offset: number | undefined): void {
    const h = this.header;
    this.counts.records++;
    if (isStandalone(h.type)) {
      if (!isDaemonRecord(h.type)) this.serials.see(h.node, h.serial);
      this.single(rec);
    } else {
      this.assembler.add(rec, h, offset ?? null, this.onNewEvent);
    }
  }

  /**
   * Completes pending events older than the newest event time minus the timeout; all of them
   * with `all` (a live source whose input went idle). Serial gaps stay open: the missing
   * events may still arrive.
   */
  flush(all = false): Termination[] {
    this.out = NO_ROWS;
    if (all) this.assembler.completeAll();
    else this.assembler.expire();
    return this.out;
  }

  /** End of input: completes every pending event, and open serial gaps count as lost. */
  end(): Termination[] {
    const rows = this.flush(true);
    this.serials.finish();
    return rows;
  }

  /**
   * Counts a line the reader skipped for being longer than its limit as one parse error;
   * `start` is its first bytes (logged clipped), `offset` where it starts.
   */
  skipLongLine(start: string, offset?: number): void {
    this.parseError(start, 'skipped a line longer than the line limit', offset);
  }

  /** Byte offset of the first line of the oldest incomplete event, or null. */
  pendingOffset(): number | null {
    return this.assembler.oldestOffset();
  }

  private single(rec: RecordText): void {
    const h = this.header;
    this.counts.events++;
    if (h.type !== RecordType.ANOM_ABEND && h.type !== RecordType.SERVICE_STOP) return;
    const event = newEvent(h, [], { type: h.type, line: rec.line(), start: h.bodyStart });
    this.emit(event);
  }

  private completed(event: AuditEvent, kept: boolean): void {
    this.counts.events++;
    if (kept) this.emit(event);
  }

  private emit(event: AuditEvent): void {
    const ingestTime = Math.floor(this.clock.now() / 1000);
    const rows = interpretEvent(event, { source: this.options.source, ingestTime });
    if (rows.length === 0) return;
    if (this.out === NO_ROWS) this.out = rows;
    else for (const row of rows) this.out.push(row);
  }

  private parseError(line: string, message: string, offset: number | undefined): void {
    const n = ++this.counts.parseErrors;
    if (n <= LOGGED_ERRORS) this.logger.warn(message, { line: clip(line), offset, n });
    if (n === LOGGED_ERRORS) this.logger.warn('further unreadable lines are only counted');
  }
}
