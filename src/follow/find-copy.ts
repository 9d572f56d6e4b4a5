import { open } from 'node:fs/promises';
import { sameFile, type FileId, type FilePosition } from './file-id';
import { fingerprintMatches, type Fingerprint } from './fingerprint';
import { isCode, listSiblings, type FamilyMember } from './log-family';

/**
 * A file beside `path` that starts with the bytes of `fp` and holds at least `minSize` bytes,
 * other than `exclude`: the copy a copy-truncate tool made, or the renamed original. Null when
 * there is none.
 */
export async function findCopy(
  path: string,
  fp: Fingerprint,
  minSize: number,
  exclude?: FileId,
): Promise<FamilyMember | null> {
  for (const m of await listSiblings(path)) {
    if (m.size < minSize || (exclude && sameFile(m.id, exclude))) continue;
    if (await startsWith(m.path, fp)) return m;
  }
  return null;
}

/**
 * Whether the bytes up to a position a previous run reached are still on disk, so nothing
 * written after it can have been lost: the same file (or a copy of it, by fingerprint) still
 * exists and is at least that long. A position in a file that was empty has no fingerprint;
 * then the same inode must still exist.
 */
export async function positionStillOnDisk(path: string, pos: FilePosition): Promise<boolean> {
  const siblings = await listSiblings(path);
  const fp = pos.fingerprint;
  if (!fp) return siblings.some((m) => sameFile(m.id, pos) && m.size >= pos.offset);
  for (const m of siblings) {
    if (m.size >= pos.offset && (await startsWith(m.path, fp))) return true;
  }
  return false;
}

async function startsWith(path: string, fp: Fingerprint): Promise<boolean> {
  try {
    const fh = await open(path, 'r');
    try {
      return await fingerprintMatches(fh, fp);
    } finally {
      await fh.close();
    }
  } catch (err) {
    if (isCode(err, 'ENOENT') || isCode(err, 'EACCES')) return false;
    throw err;
  }
}
