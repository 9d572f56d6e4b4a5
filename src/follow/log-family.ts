import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { fileIdOf, type FileId } from './file-id';

/** A file of a log's family as found on disk. */
export interface FamilyMember {
  path: string;
  id: FileId;
  size: number;
  mtimeMs: number;
}

/**
 * The log and its rotated copies, oldest first: `log.N`, ..., `log.1`, `log` (auditd's
 * numbering: rotation renames log.1 to log.2 and so on, then log to log.1). Files that vanish
 * while listed are left out; the live log is left out when it does not exist.
 */
export async function listFamily(path: string): Promise<FamilyMember[]> {
  const rotated = await rotatedNames(path);
  const paths = [...rotated.map((n) => `${path}.${n}`), path];
  const members: FamilyMember[] = [];
  for (const p of paths) {
    const m = await member(p);
    if (m) members.push(m);
  }
  return members;
}

/**
 * Every regular file beside the log whose name starts with the log's name, such as a copy made
 * by a copy-truncate tool (`audit.log.1`, `audit.log-20240101`). Used to find a copy by content.
 */
export async function listSiblings(path: string): Promise<FamilyMember[]> {
  const base = basename(path);
  const names = await readdirOrEmpty(dirname(path));
  const out: FamilyMember[] = [];
  for (const name of names.filter((n) => n.startsWith(base)).sort()) {
    const m = await member(join(dirname(path), name));
    if (m) out.push(m);
  }
  return out;
}

// Rotation numbers present, highest (oldest) first.
async function rotatedNames(path: string): Promise<number[]> {
  const prefix = `${basename(path)}.`;
  const numbers: number[] = [];
  for (const name of await readdirOrEmpty(dirname(path))) {
    const rest = name.startsWith(prefix) ? name.slice(prefix.length) : '';
    if (/^[1-9][0-9]{0,5}$/.test(rest)) numbers.push(Number(rest));
  }
  return numbers.sort((a, b) => b - a);
}

async function member(path: string): Promise<FamilyMember | null> {
  try {
    const st = await stat(path);
    if (!st.isFile()) return null;
    return { path, id: fileIdOf(st), size: st.size, mtimeMs: st.mtimeMs };
  } catch (err) {
    if (isCode(err, 'ENOENT')) return null;
    throw err;
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await readdir(dir);
  } catch (err) {
    if (isCode(err, 'ENOENT')) return [];
    throw err;
  }
}

/** Whether `err` is a system error with the given code. */
export function isCode(err: unknown, code: string): boolean {
  return typeof err === 'object' && err !== null && (err as { code?: unknown }).code === code;
}
