import type { Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import type { Logger } from '../log';
import type { ReplayInput } from './input';
import { auditFormat } from './audit-format';
import { windowsJsonFormat, windowsXmlFormat } from '../sources/windows/replay';
import { esloggerFormat } from '../sources/macos/replay';

/** A replay format name (`audit`, ...) or `auto` to choose by content. */
export type FormatName = string;

/** What a format's reader receives. */
export interface FormatReadOptions {
  readonly logger: Logger;
  /** Clock for `ingest_time`. */
  readonly ingestClock: Clock;
}

/** What a format's reader tells when a file is done. */
export interface ReadSummary {
  /** Records or events recognised as this format (0 with content: likely the wrong format). */
  readonly recognised: number;
  readonly parseErrors: number;
}

/**
 * One input format of `replay`. To add one, implement this in its own module and add it to
 * {@link FORMATS}; `auto` asks each format in list order, so put specific tests first.
 */
export interface ReplayFormat {
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /**
   * True when `head` (the file's first bytes as text, decoded as UTF-8 or UTF-16 as its first
   * bytes tell, without a byte order mark) looks like this format.
   */
  detect(head: string): boolean;
  /**
   * The rows of one opened file, in file order, read from its start (the caller closes it);
   * returns a summary. Rejects with an error naming the file.
   */
  read(input: ReplayInput, options: FormatReadOptions): AsyncGenerator<Termination, ReadSummary>;
  /**
   * Optional, the same rows as {@link read} in batches (none empty): one asynchronous step per
   * batch instead of per row, for formats with many rows (replay of large audit logs).
   */
  readBatches?(
    input: ReplayInput,
    options: FormatReadOptions,
  ): AsyncGenerator<Termination[], ReadSummary>;
}

/** Every format, in detection order. */
export const FORMATS: readonly ReplayFormat[] = [
  auditFormat,
  windowsXmlFormat,
  windowsJsonFormat,
  esloggerFormat,
];

/** The format called `name`, or undefined. */
export function findFormat(name: string): ReplayFormat | undefined {
  return FORMATS.find((f) => f.name === name);
}

/** The first format whose `detect` accepts `head`, or undefined. */
export function detectFormat(head: string): ReplayFormat | undefined {
  return FORMATS.find((f) => f.detect(head));
}

/** Names accepted by `--format`, `auto` first. */
export function formatNames(): string[] {
  return ['auto', ...FORMATS.map((f) => f.name)];
}
