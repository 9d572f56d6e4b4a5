import { createHash } from 'node:crypto';
import { open, readFile, rename, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { FilePosition } from '../follow/file-id';
import { silentLogger, type Logger } from '../log';

const positionSchema = z.object({
  path: z.string(),
  dev: z.number(),
  ino: z.number(),
  offset: z.number().int().nonnegative(),
  fingerprint: z.object({ length: z.number().int().positive(), sha256: z.string() }).nullable(),
});

const checkpointSchema = z.object({
  version: z.literal(1),
  source: z.string(),
  /** When it was written, ms since the epoch. */
  saved_at: z.number(),
  position: positionSchema,
});

/** What a source saves to resume: its file position at an event boundary. */
export type Checkpoint = z.infer<typeof checkpointSchema>;

/**
 * Checkpoints in the state directory, one JSON file per source and input (`<source>-<hash of
 * the input path>.json`, so two logs never share one). Writes are atomic: a temp file is
 * written, fsynced and renamed over the old one, then the directory is fsynced, so a crash
 * leaves either the old or the new checkpoint, never a torn one.
 */
export class CheckpointStore {
  constructor(
    private readonly dir: string,
    private readonly logger: Logger = silentLogger,
  ) {}

  /** The file a source's checkpoint for `input` lives in. */
  fileFor(source: string, input: string): string {
    const tag = createHash('sha256').update(input).digest('hex').slice(0, 12);
    return join(this.dir, `${source}-${tag}.json`);
  }

  /** The saved position, or null when there is none or it cannot be read (logged). */
  async load(source: string, input: string): Promise<Checkpoint | null> {
    const file = this.fileFor(source, input);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (err) {
      if ((err as { code?: string }).code !== 'ENOENT') {
        this.logger.warn('checkpoint unreadable; starting without it', {
          file,
          error: String(err),
        });
      }
      return null;
    }
    const parsed = checkpointSchema.safeParse(safeJson(text));
    if (parsed.success) return parsed.data;
    this.logger.warn('checkpoint malformed; starting without it', { file });
    return null;
  }

  /** Saves `position` for `source` and `input` atomically. */
  async save(source: string, input: string, position: FilePosition, now: number): Promise<void> {
    const file = this.fileFor(source, input);
    const body: Checkpoint = { version: 1, source, saved_at: now, position };
    const tmp = `${file}.tmp-${process.pid}`;
    const fh = await open(tmp, 'w', 0o600);
    try {
      await fh.writeFile(`${JSON.stringify(body)}\n`);
      await fh.sync();
    } finally {
      await fh.close();
    }
    try {
      await rename(tmp, file);
    } catch (err) {
      await unlink(tmp).catch(() => undefined);
      throw err;
    }
    await this.syncDir();
  }

  // The rename is durable only once the directory entry is on disk.
  private async syncDir(): Promise<void> {
    const dh = await open(this.dir, 'r');
    try {
      await dh.sync();
    } finally {
      await dh.close();
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
