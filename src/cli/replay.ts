import { Command, Option } from 'commander';
import type { Clock } from '../model/clock';
import { TERMINATION_COLUMNS } from '../model/termination-columns';
import type { Termination } from '../model/termination';
import { formatNames } from '../replay/formats';
import { readRows } from '../replay/read-rows';
import { createLogger } from './logging';

/** Rows are written in batches of about this many characters. */
const BATCH_CHARS = 1 << 20;

/**
 * `process-terminations replay [--format F] FILE...`: the rows recorded logs give, one JSON
 * object per line with every column in table order (nulls included), in file order.
 */
export function register(program: Command): void {
  program
    .command('replay')
    .description('print the process_terminations rows of recorded logs as JSON lines')
    .addOption(
      new Option('-f, --format <format>', 'input format').choices(formatNames()).default('auto'),
    )
    .option('--ingest-time <seconds>', 'fixed ingest_time for reproducible output', parseSeconds)
    .option('-v, --verbose', 'log progress and statistics to stderr', false)
    .argument('<files...>', 'log files, replayed in the order given')
    .action(async (files: string[], opts: { format: string; ingestTime?: number; verbose: boolean }) => {
      const fixed = opts.ingestTime;
      const ingestClock: Clock | undefined =
        fixed === undefined ? undefined : { now: () => fixed * 1000 };
      const rows = readRows(files, {
        format: opts.format,
        logger: createLogger(opts.verbose),
        ingestClock,
      });
      await writeRows(rows);
    });
}

function parseSeconds(text: string): number {
  const n = Number(text);
  if (!Number.isSafeInteger(n) || n < 0) {
    throw new Error(`--ingest-time expects unix seconds (a whole number), got "${text}"`);
  }
  return n;
}

const NAMES = TERMINATION_COLUMNS.map((c) => c.name);
const KEYS = NAMES.map((name) => JSON.stringify(name));

/** One row as a JSON object with the columns in table order. */
export function rowJson(row: Termination): string {
  let out = '{';
  for (let i = 0; i < NAMES.length; i++) {
    const value = row[NAMES[i] as keyof Termination];
    out += `${i === 0 ? '' : ','}${KEYS[i] as string}:${JSON.stringify(value ?? null)}`;
  }
  return `${out}}`;
}

async function writeRows(rows: AsyncIterable<Termination>): Promise<void> {
  let batch = '';
  for await (const row of rows) {
    batch += `${rowJson(row)}\n`;
    if (batch.length >= BATCH_CHARS) {
      await write(batch);
      batch = '';
    }
  }
  if (batch.length > 0) await write(batch);
}

/** Writes to stdout, waiting for it to drain; a closed pipe (`| head`) ends quietly. */
function write(text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    process.stdout.write(text, (err) => {
      if (!err) resolve();
      else if ((err as NodeJS.ErrnoException).code === 'EPIPE') process.exit(0);
      else reject(err);
    });
  });
}
