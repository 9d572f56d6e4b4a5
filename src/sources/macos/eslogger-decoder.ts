import { systemClock, type Clock } from '../../model/clock';
import type { Termination } from '../../model/termination';
import { clip, silentLogger, type Logger } from '../../log';
import { parseEsloggerLine } from './eslogger-event';
import { TextLines } from '../windows/text-lines';

/**
 * Counters of the decoder; `lost` is the sum of gaps in `global_seq_num`; `warnings` counts
 * lines read with some unusable values (out-of-range or fractional numbers made null).
 */
export interface EsDecoderStats {
  events: number;
  rows: number;
  parseErrors: number;
  lost: number;
  warnings: number;
}

export interface EsDecoderOptions {
  logger?: Logger;
  /** For `ingest_time` (default the system clock). */
  ingestClock?: Clock;
}

/**
 * Turns eslogger's JSON lines (format `eslogger`) into rows, in input order, whatever the cut
 * between `push` calls. EndpointSecurity numbers every message a client receives
 * (`global_seq_num`, consecutive per client), so a jump forward counts the skipped messages as
 * lost; a step back means a new client (eslogger restarted) and starts counting afresh. A bad
 * line is counted, logged once (clipped) and skipped; nothing throws.
 */
export class EsloggerDecoder {
  readonly stats: EsDecoderStats = { events: 0, rows: 0, parseErrors: 0, lost: 0, warnings: 0 };
  private readonly lines = new TextLines((start) =>
    this.badLine(start, 'a line longer than the 1 MiB limit (skipped to its end)'),
  );
  /** Lines read whole as eslogger messages. */
  recognised = 0;
  private lastSeq: number | null = null;
  private readonly logger: Logger;
  private readonly clock: Clock;

  constructor(options: EsDecoderOptions = {}) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.ingestClock ?? systemClock;
  }

  push(text: string): Termination[] {
    return this.lines.push(text).flatMap((line) => this.line(line));
  }

  /** The input ended: returns the row of a last line without its newline. */
  end(): Termination[] {
    return this.line(this.lines.end());
  }

  /** Forgets the sequence: the next message starts a new client's numbering. */
  restart(): void {
    this.lastSeq = null;
    this.lines.reset();
  }

  private line(line: string): Termination[] {
    const trimmed = line.trim();
    if (trimmed === '') return [];
    this.stats.events++;
    try {
      const parsed = parseEsloggerLine(trimmed, Math.floor(this.clock.now() / 1000));
      const { seq, row } = parsed;
      this.recognised++;
      if (parsed.warnings.length > 0) this.warnValues(trimmed, parsed.warnings);
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

  private warnValues(line: string, warnings: string[]): void {
    this.stats.warnings++;
    this.logger.warn('read an eslogger line with unusable values (their columns are null)', {
      reason: clip(warnings.join('; ')),
      input: clip(line),
    });
  }

  private badLine(line: string, reason: string): void {
    this.stats.parseErrors++;
    this.logger.warn('skipped an eslogger line that could not be read', {
      reason: clip(reason),
      input: clip(line),
    });
  }
}
