import { open } from 'node:fs/promises';
import { systemClock, type Clock } from '../model/clock';
import type { Termination } from '../model/termination';
import { silentLogger, type Logger } from '../log';
import {
  detectFormat,
  findFormat,
  formatNames,
  type FormatName,
  type ReplayFormat,
} from './formats';

/** Options of {@link readRows}. */
export interface ReadRowsOptions {
  /** A format name or `auto` (choose by each file's content). */
  format: FormatName;
  logger?: Logger;
  /** Clock for `ingest_time` (default systemClock): inject one for reproducible output. */
  ingestClock?: Clock;
}

/** Bytes read to recognise a file's format. */
const HEAD_BYTES = 64 * 1024;

/**
 * The termination rows of recorded files, file after file, each in file order. Rejects with an
 * error naming the file when one cannot be read or, with `auto`, has no recognisable format.
 */
export async function* readRows(
  files: string[],
  options: ReadRowsOptions,
): AsyncIterable<Termination> {
  const named = options.format === 'auto' ? undefined : findFormat(options.format);
  if (options.format !== 'auto' && named === undefined) {
    throw new Error(
      `unknown replay format "${options.format}": expected one of ${formatNames().join(', ')}`,
    );
  }
  const read = {
    logger: options.logger ?? silentLogger,
    ingestClock: options.ingestClock ?? systemClock,
  };
  for (const file of files) {
    const format = named ?? (await detect(file));
    try {
      yield* format.read(file, read);
    } catch (err) {
      throw new Error(`cannot replay ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
}

async function detect(file: string): Promise<ReplayFormat> {
  let head: string;
  try {
    const handle = await open(file, 'r');
    try {
      const buf = Buffer.alloc(HEAD_BYTES);
      const { bytesRead } = await handle.read(buf, 0, HEAD_BYTES, 0);
      head = buf.toString('utf8', 0, bytesRead);
    } finally {
      await handle.close();
    }
  } catch (err) {
    throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  const format = detectFormat(head);
  if (format === undefined) {
    throw new Error(
      `cannot tell the format of ${file}: pass --format with one of ${formatNames().slice(1).join(', ')}`,
    );
  }
  return format;
}
