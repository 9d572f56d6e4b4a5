import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';

/** Bytes at the start of a file that identify its content; an audit line is 100-500 bytes. */
export const FINGERPRINT_BYTES = 1024;

/**
 * A hash of a file's first `length` bytes. Two files with the same fingerprint hold the same
 * first lines, which for an audit log (timestamps and serials) means the same content: the
 * inode alone cannot tell a truncated and rewritten file, or a reused inode number, apart.
 */
export interface Fingerprint {
  length: number;
  sha256: string;
}

/** Fingerprint of the first `min(size, FINGERPRINT_BYTES)` bytes, or null for an empty file. */
export async function takeFingerprint(fh: FileHandle, size: number): Promise<Fingerprint | null> {
  const length = Math.min(size, FINGERPRINT_BYTES);
  if (length <= 0) return null;
  const bytes = await readPrefix(fh, length);
  if (bytes.length < length) return bytes.length > 0 ? hash(bytes) : null;
  return hash(bytes);
}

/**
 * Whether the file still starts with the bytes `fp` was taken from. A file now shorter than
 * `fp.length` does not.
 */
export async function fingerprintMatches(fh: FileHandle, fp: Fingerprint): Promise<boolean> {
  const bytes = await readPrefix(fh, fp.length);
  return bytes.length === fp.length && hash(bytes).sha256 === fp.sha256;
}

function hash(bytes: Buffer): Fingerprint {
  return { length: bytes.length, sha256: createHash('sha256').update(bytes).digest('hex') };
}

async function readPrefix(fh: FileHandle, length: number): Promise<Buffer> {
  const buf = Buffer.alloc(length);
  let got = 0;
  while (got < length) {
    const { bytesRead } = await fh.read(buf, got, length - got, got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return buf.subarray(0, got);
}
