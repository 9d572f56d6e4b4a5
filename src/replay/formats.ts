import type { Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import type { Logger } from '../log';
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

/**
 * One input format of `replay`. To add one, implement this in its own module and add it to
 * {@link FORMATS}; `auto` asks each format in list order, so put specific tests first.
 */
export interface ReplayFormat {
  readonly name: string;
  /** One line for `--help`. */
  readonly description: string;
  /** True when `head` (the file's first bytes, decoded as UTF-8) looks like this format. */
  detect(head: string): boolean;
  /** The rows of one file, in file order. Rejects with an error naming the file. */
  read(file: string, options: FormatReadOptions): AsyncIterable<Termination>;
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
