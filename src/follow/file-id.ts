import type { Stats } from 'node:fs';
import type { Fingerprint } from './fingerprint';

/** A file's identity while it exists: device and inode (a rename keeps both). */
export interface FileId {
  dev: number;
  ino: number;
}

export function fileIdOf(st: Pick<Stats, 'dev' | 'ino'>): FileId {
  return { dev: st.dev, ino: st.ino };
}

export function sameFile(a: FileId, b: FileId): boolean {
  return a.dev === b.dev && a.ino === b.ino;
}

/**
 * A place in a log file that survives renames and restarts: the file's identity, the byte
 * offset, and the fingerprint of its first bytes (an inode number may be reused after a delete).
 */
export interface FilePosition extends FileId {
  /** The name the file had when the position was taken. */
  path: string;
  offset: number;
  fingerprint: Fingerprint | null;
}

/** `path (dev:ino) @offset`, for logs and the status table. */
export function describePosition(p: FilePosition): string {
  return `${p.path} (inode ${p.dev}:${p.ino}) @${p.offset}`;
}
