import type { TrackedFile } from './tracked-file';

/** Reads a line's event time, unix seconds, or null when the line has none. */
export type LineTime = (line: string) => number | null;

/** Below this many bytes a linear read is cheaper than more probes. */
const LINEAR_BYTES = 256 * 1024;
const PROBE_BYTES = 16 * 1024;

/**
 * A line start in `file` (of `size` bytes) at or before the first line whose time is >= `since`,
 * found by bisection, so a restart reads only the retention window of a large log. Lines are
 * assumed to be in time order; where they are not (auditd can write a few events slightly out
 * of order) the answer errs early: every line from the result on is read, and lines older than
 * the window are then expired by the buffer. A probe without a readable time ends the search
 * at the last good lower bound.
 */
export async function seekToTime(
  file: TrackedFile,
  size: number,
  since: number,
  lineTime: LineTime,
): Promise<number> {
  let lo = 0;
  let hi = size;
  const buf = Buffer.alloc(PROBE_BYTES);
  while (hi - lo > LINEAR_BYTES) {
    const mid = lo + Math.floor((hi - lo) / 2);
    const probe = await firstTimedLine(file, buf, mid, lineTime);
    if (!probe) break;
    if (probe.time < since) lo = probe.start;
    else hi = mid;
  }
  return lo;
}

// The first complete line starting after `at` that has a time, within one probe's bytes.
async function firstTimedLine(
  file: TrackedFile,
  buf: Buffer,
  at: number,
  lineTime: LineTime,
): Promise<{ start: number; time: number } | null> {
  const got = await file.readAt(buf, at);
  let start = buf.indexOf(10) + 1;
  while (start > 0 && start < got) {
    const end = buf.indexOf(10, start);
    if (end < 0 || end >= got) return null;
    const time = lineTime(buf.toString('utf8', start, end));
    if (time !== null) return { start: at + start, time };
    start = end + 1;
  }
  return null;
}
