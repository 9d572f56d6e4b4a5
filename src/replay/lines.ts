import { isAscii } from 'node:buffer';
import { open } from 'node:fs/promises';

/** Receives one line (without `\n` or `\r\n`) and the byte offset where it starts. */
export type LineFn = (line: string, offset: number) => void;

/** Default read size: large reads keep system calls and per-chunk work rare. */
export const CHUNK_BYTES = 1 << 20;

/**
 * Calls `onLine` for each line of `file`, in order, yielding after each chunk so the caller can
 * hand on what the lines produced. Lines are split here rather than by a stream helper so an
 * ASCII chunk (nearly every audit log) is decoded once and cut into slices; a chunk holding
 * other bytes is decoded line by line as UTF-8, where invalid sequences become U+FFFD instead
 * of failing. A line longer than the buffer grows it. A last line without `\n` counts.
 */
export async function* scanLines(
  file: string,
  onLine: LineFn,
  chunkBytes = CHUNK_BYTES,
): AsyncGenerator<void, void, undefined> {
  const handle = await open(file, 'r');
  try {
    let buf: Buffer = Buffer.allocUnsafe(chunkBytes);
    let kept = 0; // bytes of an unfinished line at the start of buf
    let base = 0; // file offset of buf[0]
    for (;;) {
      if (kept === buf.length) buf = grow(buf);
      const { bytesRead } = await handle.read(buf, kept, buf.length - kept, null);
      const filled = kept + bytesRead;
      if (bytesRead === 0) {
        if (filled > 0) splitLines(buf, filled, base, onLine, true);
        yield;
        return;
      }
      const used = splitLines(buf, filled, base, onLine, false);
      buf.copy(buf, 0, used, filled);
      kept = filled - used;
      base += used;
      yield;
    }
  } finally {
    await handle.close();
  }
}

function grow(buf: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buf.length * 2);
  buf.copy(bigger, 0, 0, buf.length);
  return bigger;
}

/** Emits the complete lines of buf[0, filled); returns the bytes consumed. */
function splitLines(
  buf: Buffer,
  filled: number,
  base: number,
  onLine: LineFn,
  last: boolean,
): number {
  const end = last ? filled : buf.lastIndexOf(10, filled - 1) + 1;
  if (end <= 0) return 0;
  if (isAscii(buf.subarray(0, end)))
    splitAscii(buf, buf.toString('latin1', 0, end), end, base, onLine);
  else splitBytes(buf, end, base, onLine);
  return end;
}

/** Newlines are found in the bytes (a native scan) and the lines cut from the decoded text. */
function splitAscii(buf: Buffer, text: string, end: number, base: number, onLine: LineFn): void {
  let start = 0;
  while (start < end) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl >= end) nl = end;
    const stop = nl > start && text.charCodeAt(nl - 1) === 13 ? nl - 1 : nl;
    onLine(text.slice(start, stop), base + start);
    start = nl + 1;
  }
}

function splitBytes(buf: Buffer, end: number, base: number, onLine: LineFn): void {
  let start = 0;
  while (start < end) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl >= end) nl = end;
    const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    onLine(buf.toString('utf8', start, stop), base + start);
    start = nl + 1;
  }
}
