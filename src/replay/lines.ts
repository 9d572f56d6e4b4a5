import { isAscii } from 'node:buffer';
import { ReplayInput } from './input';

/** Receives one line (without `\n` or `\r\n`) and the byte offset where it starts. */
export type LineFn = (line: string, offset: number) => void;

/**
 * Receives a line longer than the limit, once per line: its first bytes (decoded, at most a
 * few hundred characters) and the byte offset where it starts. The rest of it is skipped.
 */
export type LongLineFn = (start: string, offset: number) => void;

/**
 * Receives one all-ASCII line as bytes: buf[start, end) without its newline, and the byte
 * offset where it starts. The buffer is reused after the call: copy what must be kept.
 */
export type BytesFn = (buf: Buffer, start: number, end: number, offset: number) => void;

/** Default read size: large reads keep system calls and per-chunk work rare. */
export const CHUNK_BYTES = 1 << 20;

/** Longest line handed on, as in the live follower: real audit records are a few KiB. */
export const MAX_LINE_BYTES = 1 << 20;

/** Bytes of an over-long line passed to {@link LongLineFn}. */
const LONG_PREFIX_BYTES = 256;

interface Sink {
  readonly onLine: LineFn;
  readonly onLong: LongLineFn;
  readonly maxLine: number;
  readonly onAscii: BytesFn | undefined;
}

/**
 * Calls `onLine` for each line of `source` (a path or an opened input), in order, yielding
 * after each chunk so the caller can hand on what the lines produced. Lines are split here
 * rather than by a stream helper so an ASCII chunk (nearly every audit log) is decoded once and
 * cut into slices; a chunk holding other bytes is decoded line by line as UTF-8, where invalid
 * sequences become U+FFFD instead of failing. A last line without `\n` counts. A line longer
 * than `maxLine` bytes goes to `onLong` instead and the rest of it, up to its newline, is
 * skipped, so memory stays below about twice max(chunkBytes, maxLine) whatever the input (a
 * 3 GB file without a newline, `/dev/zero`). With `onAscii`, the lines of an ASCII chunk go
 * to it as bytes instead of to `onLine`, so a reader that needs only some lines as text
 * decodes only those.
 */
export async function* scanLines(
  source: string | ReplayInput,
  onLine: LineFn,
  chunkBytes = CHUNK_BYTES,
  onLong: LongLineFn = () => undefined,
  maxLine = MAX_LINE_BYTES,
  onAscii?: BytesFn,
): AsyncGenerator<void, void, undefined> {
  const input = typeof source === 'string' ? await ReplayInput.open(source) : source;
  const sink: Sink = { onLine, onLong, maxLine, onAscii };
  try {
    let buf: Buffer = Buffer.allocUnsafe(chunkBytes);
    let kept = 0; // bytes of an unfinished line at the start of buf
    let base = 0; // file offset of buf[0]
    let skipping = false; // inside an over-long line already reported
    for (;;) {
      if (kept === buf.length) buf = grow(buf);
      const bytesRead = await input.read(buf, kept, buf.length - kept);
      const filled = kept + bytesRead;
      let from = 0;
      if (skipping) {
        const nl = buf.indexOf(10, 0);
        skipping = nl < 0 || nl >= filled; // buf past `filled` holds stale bytes
        from = skipping ? filled : nl + 1;
      }
      if (bytesRead === 0) {
        if (filled > from) splitLines(buf, from, filled, base, sink, true);
        yield;
        return;
      }
      const used = splitLines(buf, from, filled, base, sink, false);
      kept = filled - used;
      if (kept > maxLine) {
        onLong(prefixOf(buf, used, kept), base + used);
        skipping = true;
        base += filled;
        kept = 0;
      } else {
        buf.copy(buf, 0, used, filled);
        base += used;
      }
      yield;
    }
  } finally {
    if (typeof source === 'string') await input.close();
  }
}

function grow(buf: Buffer): Buffer {
  const bigger = Buffer.allocUnsafe(buf.length * 2);
  buf.copy(bigger, 0, 0, buf.length);
  return bigger;
}

function prefixOf(buf: Buffer, start: number, length: number): string {
  return buf.toString('utf8', start, start + Math.min(length, LONG_PREFIX_BYTES));
}

/** Emits the complete lines of buf[from, filled); returns the index after the last one. */
function splitLines(
  buf: Buffer,
  from: number,
  filled: number,
  base: number,
  sink: Sink,
  last: boolean,
): number {
  const end = last ? filled : buf.lastIndexOf(10, filled - 1) + 1;
  if (end <= from) return from;
  if (!isAscii(buf.subarray(from, end))) splitBytes(buf, from, end, base, sink);
  else if (sink.onAscii) passAscii(buf, from, end, base, sink, sink.onAscii);
  else splitAscii(buf, from, end, base, sink);
  return end;
}

function passAscii(
  buf: Buffer,
  from: number,
  end: number,
  base: number,
  sink: Sink,
  onAscii: BytesFn,
): void {
  let start = from;
  while (start < end) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl >= end) nl = end;
    const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    if (stop - start > sink.maxLine) sink.onLong(prefixOf(buf, start, stop - start), base + start);
    else onAscii(buf, start, stop, base + start);
    start = nl + 1;
  }
}

/** Newlines are found in the bytes (a native scan) and the lines cut from the decoded text. */
function splitAscii(buf: Buffer, from: number, end: number, base: number, sink: Sink): void {
  const text = buf.toString('latin1', from, end);
  let start = from;
  while (start < end) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl >= end) nl = end;
    const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    if (stop - start > sink.maxLine) sink.onLong(prefixOf(buf, start, stop - start), base + start);
    else sink.onLine(text.slice(start - from, stop - from), base + start);
    start = nl + 1;
  }
}

function splitBytes(buf: Buffer, from: number, end: number, base: number, sink: Sink): void {
  let start = from;
  while (start < end) {
    let nl = buf.indexOf(10, start);
    if (nl < 0 || nl >= end) nl = end;
    const stop = nl > start && buf[nl - 1] === 13 ? nl - 1 : nl;
    if (stop - start > sink.maxLine) sink.onLong(prefixOf(buf, start, stop - start), base + start);
    else sink.onLine(buf.toString('utf8', start, stop), base + start);
    start = nl + 1;
  }
}
