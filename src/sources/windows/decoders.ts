import { systemClock, type Clock } from '../../model/clock';
import type { Termination } from '../../model/termination';
import { clip, silentLogger, type Logger } from '../../log';
import { EventXmlSplitter, parseEventXml } from './event-xml';
import { parseEventJson } from './event-json';
import { terminationOf } from './terminations';
import { TextLines } from './text-lines';
import type { WinEvent } from './win-event';

/** Counters of one decoder; `lost` stays 0 for Windows input (gaps in record ids are normal). */
export interface DecoderStats {
  events: number;
  rows: number;
  parseErrors: number;
  lost: number;
}

/**
 * Turns text of one input format into rows, whatever the cut between calls. Rows come in input
 * order. A bad event is counted in `parseErrors`, logged once (clipped) and skipped; nothing
 * throws.
 */
export interface RowDecoder {
  push(text: string): Termination[];
  /** The input ended: returns rows of anything held back and counts a truncated tail. */
  end(): Termination[];
  readonly stats: DecoderStats;
  /** Events read whole as this format (0 after content: probably the wrong format). */
  readonly recognised: number;
}

export interface DecoderOptions {
  logger?: Logger;
  /** For `ingest_time` (default the system clock). */
  ingestClock?: Clock;
}

abstract class WinDecoder implements RowDecoder {
  readonly stats: DecoderStats = { events: 0, rows: 0, parseErrors: 0, lost: 0 };
  /** EventRecordID of the last event read whole (for bookmarks); set back to null by callers. */
  lastRecordId: number | null = null;
  recognised = 0;
  protected readonly logger: Logger;
  private readonly clock: Clock;

  constructor(
    options: DecoderOptions,
    private readonly format: string,
  ) {
    this.logger = options.logger ?? silentLogger;
    this.clock = options.ingestClock ?? systemClock;
  }

  abstract push(text: string): Termination[];
  abstract end(): Termination[];

  /** Parses and converts one event's text; a failure is counted and logged, not thrown. */
  protected decode(raw: string, parse: (raw: string) => WinEvent): Termination[] {
    this.stats.events++;
    try {
      const event = parse(raw);
      this.recognised++;
      const id = Number(event.recordId);
      if (event.recordId !== null && Number.isSafeInteger(id)) this.lastRecordId = id;
      const row = terminationOf(event, Math.floor(this.clock.now() / 1000));
      if (row === null) return [];
      this.stats.rows++;
      return [row];
    } catch (err) {
      this.badInput(raw, (err as Error).message);
      return [];
    }
  }

  protected badInput(raw: string, reason: string): void {
    this.stats.parseErrors++;
    this.logger.warn(`skipped a ${this.format} event that could not be read`, {
      reason: clip(reason),
      input: clip(raw),
    });
  }
}

/** Longest event read; real ones are a few KiB. */
const MAX_EVENT_CHARS = 1 << 20;

/** Rendered event XML (`windows_xml`): wevtutil, Get-WinEvent, python-evtx. */
export class WindowsXmlDecoder extends WinDecoder {
  private readonly splitter = new EventXmlSplitter(MAX_EVENT_CHARS, (reason, start) =>
    this.badInput(start, reason),
  );

  constructor(options: DecoderOptions = {}) {
    super(options, 'windows_xml');
  }

  push(text: string): Termination[] {
    return this.splitter.push(text).flatMap((xml) => this.decode(xml, parseEventXml));
  }

  end(): Termination[] {
    if (this.splitter.holding) this.badInput('', 'the input ended inside an <Event> element');
    return [];
  }
}

/** NXLog or Winlogbeat JSON lines (`windows_json`). */
export class WindowsJsonDecoder extends WinDecoder {
  private readonly lines = new TextLines((start) =>
    this.badInput(start, 'a line longer than the 1 MiB limit (skipped to its end)'),
  );

  constructor(options: DecoderOptions = {}) {
    super(options, 'windows_json');
  }

  push(text: string): Termination[] {
    return this.lines.push(text).flatMap((line) => this.line(line));
  }

  end(): Termination[] {
    return this.line(this.lines.end());
  }

  private line(line: string): Termination[] {
    const trimmed = line.trim();
    return trimmed === '' ? [] : this.decode(trimmed, parseEventJson);
  }
}
