import { sameFile, type FilePosition } from './file-id';
import { isCode, listFamily } from './log-family';
import { TrackedFile } from './tracked-file';

/**
 * Opens the files that took over from `cur` after the log's name moved on: those after it in
 * rotation order (a burst of rotations leaves several), or, when `cur` is no longer among them
 * (deleted, or another file renamed over it), those written since it was last, and the live
 * log in any case. Skips a file already read (same inode and first bytes as one in `done`).
 */
export async function openSuccessors(
  path: string,
  cur: TrackedFile,
  done: readonly FilePosition[],
): Promise<TrackedFile[]> {
  const family = await listFamily(path);
  const at = family.findIndex((m) => sameFile(m.id, cur.id));
  const later =
    at >= 0
      ? family.slice(at + 1)
      : family.filter((m) => m.path === path || m.mtimeMs >= cur.mtimeMs);
  const out: TrackedFile[] = [];
  for (const m of later) {
    const file = await TrackedFile.open(m.path).catch((err: unknown) => {
      if (isCode(err, 'ENOENT')) return null;
      throw err;
    });
    if (!file) continue;
    if (!sameFile(file.id, m.id) || (await alreadyRead(file, done))) await file.close();
    else out.push(file);
  }
  return out;
}

async function alreadyRead(file: TrackedFile, done: readonly FilePosition[]): Promise<boolean> {
  await file.check(await file.stat());
  const fp = file.fingerprint;
  return done.some(
    (p) => sameFile(p, file.id) && fp !== null && p.fingerprint?.sha256 === fp.sha256,
  );
}
