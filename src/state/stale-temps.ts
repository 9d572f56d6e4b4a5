import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log';

/**
 * Temp files of CheckpointStore.save: `<source>-<12 hex>.json.tmp-<pid of the writer>`. Only
 * names of exactly this shape are ever removed.
 */
export const TEMP_NAME = /^[A-Za-z0-9_]+-[0-9a-f]{12}\.json\.tmp-(\d+)$/;

/** Whether a process with this pid exists (EPERM: it exists but belongs to someone else). */
export function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as { code?: string }).code === 'EPERM';
  }
}

/**
 * Removes checkpoint temp files whose writer is gone (a crash or kill between write and
 * rename leaves them). A temp file of a live process may be mid-write by another extension
 * sharing the directory, so it stays. Returns the names removed; failures are logged, not thrown.
 */
export async function removeStaleTemps(
  dir: string,
  logger: Logger,
  alive: (pid: number) => boolean = pidAlive,
): Promise<string[]> {
  const removed: string[] = [];
  for (const name of await readdir(dir)) {
    const pid = Number(TEMP_NAME.exec(name)?.[1] ?? NaN);
    if (!Number.isInteger(pid) || pid === process.pid || alive(pid)) continue;
    try {
      await unlink(join(dir, name));
      removed.push(name);
    } catch (err) {
      logger.warn('cannot remove a stale checkpoint temp file', { file: name, error: String(err) });
    }
  }
  if (removed.length > 0) logger.info('removed stale checkpoint temp files', { files: removed });
  return removed;
}
