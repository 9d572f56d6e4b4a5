import { systemClock, type Clock } from '../../model/clock';
import type { Termination } from '../../model/termination';
import { clip, silentLogger, type Logger } from '../../log';
import { parseEsloggerLine } from './eslogger-event';

/** Counters of the decoder; `lost` is the sum of gaps in `global_seq_num`. */
export interface EsDecoderStats {
  events: number;
  rows: number;
  parseErrors: number;
  lost: number;
}

export interface EsDecoderOptions {
  logger?: Logger;
  /** For `ingest_time` (default the system clock). */
  ingestClock?: Clock;
}

// A real message is a few KiB; this bounds memory on input without newlines.
const MAX_LINE_CHARS = 1 << 20;

/**
 * Turns eslogger's JSON lines (format `eslogger`) into rows, in input order, whatever the cut
 * between `push` calls. EndpointSecurity numbers every message a client receives
 * (`global_seq_num`, consecutive per client), so a jump forward counts the skipped messages as
 * lost; a step back means a new client (eslogger restarted) and starts counting afresh. A bad
 * line is counted, logged once (clipped) and skipped; nothing throws.
 */
export class EsloggerDecoder {
  readonly stats: EsDecoderStats = { events: 0, rows: 0, parseErrors: 0, lost: 0 };
  private partial = '';
  private lastSeq: number | null = null;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(options: EsDecoderOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.ingestClock ?? systemClock;
  }

  push(text: string): Termination[] {
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > MAX_LINE_CHARS) {
      this.badLine(this.partial, 'a line longer than the 1 MiB limit');
      this.partial = '';
    }
    return lines.flatMap((line) => this.line(line));
  }

  /** The input ended: returns the row of a last line without its newline. */
  end(): Termination[] {
    const last = this.partial;
    this.partial = '';
    return this.line(last);
  }

  /** Forgets the sequence: the next message starts a new client's numbering. */
  restart(): void {
    this.lastSeq = null;
    this.partial = '';
  }

  private line(line: string): Termination[] {
    const trimmed = line.trim();
    if (trimmed === '') return [];
    this.stats.events++;
    try {
      const { seq, row } = parseEsloggerLine(trimmed, Math.floor(this.clock.now() / 1000));
      this.track(seq);
      if (row === null) return [];
      this.stats.rows++;
      return [row];
    } catch (err) {
      this.badLine(trimmed, (err as Error).message);
      return [];
    }
  }

  private track(seq: number | null): void {
    if (seq === null) return;
    if (this.lastSeq !== null && seq > this.lastSeq + 1) this.stats.lost += seq - this.lastSeq - 1;
    this.lastSeq = seq;
  }

  private badLine(line: string, reason: string): void {
    this.stats.parseErrors++;
    this.logger.warn('skipped an eslogger line that could not be read', {
      reason: clip(reason),
      input: clip(line),
    });
  }
}
