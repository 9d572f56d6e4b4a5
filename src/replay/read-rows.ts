import { systemClock, type Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import { silentLogger, type Logger } from '../log';
import {
  detectFormat,
  findFormat,
  formatNames,
  type FormatName,
  type FormatReadOptions,
  type ReplayFormat,
} from './formats';
import { ReplayInput } from './input';

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** A format name or `auto` (choose by each file's content). */
  format: FormatName;
  logger?: Logger;
  /** Clock for `ingest_time` (default systemClock): inject one for reproducible output. */
  ingestClock?: Clock;
}

/**
 * The termination rows of recorded files, file after file, each in file order. Each file is
 * opened once and read front to back, so FIFOs and pipes work. Rejects with an error naming the
 * file when one cannot be read or, with `auto`, has content of no recognisable format. An empty
 * file gives no rows and a warning; a file with content of which nothing was recognised (a
 * wrong `--format`) gives a warning too.
 */
export async function* readRows(
  files: string[],
  options: ReadRowsOptions,
): AsyncIterable<Termination> {
  for await (const batch of readRowBatches(files, options)) yield* batch;
}

/**
 * {@link readRows} in batches (in order, none empty): one asynchronous step per batch, for
 * callers that handle many rows (`replay` writing JSON lines).
 */
export async function* readRowBatches(
  files: string[],
  options: ReadRowsOptions,
): AsyncIterable<Termination[]> {
  const named = options.format === 'auto' ? undefined : findFormat(options.format);
  if (options.format !== 'auto' && named === undefined) {
    throw new Error(
      `unknown replay format "${options.format}": expected one of ${formatNames().join(', ')}`,
    );
  }
  const read: FormatReadOptions = {
    logger: options.logger ?? silentLogger,
    ingestClock: options.ingestClock ?? systemClock,
  };
  for (const file of files) {
    const input = await ReplayInput.open(file);
    try {
      if (input.head.length === 0) {
        read.logger.warn('replayed an empty file: no rows', { file });
        continue;
      }
      yield* readOne(input, named ?? detect(input), read);
    } finally {
      await input.close();
    }
  }
}

async function* readOne(
  input: ReplayInput,
  format: ReplayFormat,
  read: FormatReadOptions,
): AsyncIterable<Termination[]> {
  let summary;
  try {
    summary = yield* (format.readBatches ?? oneByOne(format))(input, read);
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    throw new Error(`cannot replay ${input.file}: ${why}`);
  }
  if (summary.recognised === 0) {
    read.logger.warn(
      `no ${format.name} records or events recognised in a file with content: check --format`,
      { file: input.file, bytes: input.bytesRead, parseErrors: summary.parseErrors },
    );
  }
}

/** A format's rows as batches of one, for formats without readBatches. */
function oneByOne(format: ReplayFormat): NonNullable<ReplayFormat['readBatches']> {
  return async function* (input, read) {
    const rows = format.read(input, read);
    for (;;) {
      const next = await rows.next();
      if (next.done === true) return next.value;
      yield [next.value];
    }
  };
}

function detect(input: ReplayInput): ReplayFormat {
  const format = detectFormat(input.headText());
  if (format === undefined) {
    throw new Error(
      `cannot tell the format of ${input.file}: pass --format with one of ${formatNames().slice(1).join(', ')}`,
    );
  }
  return format;
}
