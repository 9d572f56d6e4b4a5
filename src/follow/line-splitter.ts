/** One complete line, without its newline, and the byte offset of its first byte in the file. */
export interface Line {
  text: string;
  offset: number;
}

/**
 * Cuts a byte stream into newline-terminated lines. A last line without its newline is held
 * back until the newline arrives (the writer may be in the middle of it). A line longer than
 * `maxLineBytes` is released unterminated so a file without newlines cannot grow memory.
 */
export class LineSplitter {
  private tail: Buffer = Buffer.alloc(0);
  private tailOffset = 0;

  constructor(private readonly maxLineBytes = 1 << 20) {}

  /** Bytes held back as an unfinished line. */
  get pendingBytes(): number {
    return this.tail.length;
  }

  /** File offset just past the last complete line returned. */
  get consumed(): number {
    return this.tailOffset;
  }

  /** Restarts at `offset` with nothing held back (after a truncation or a new file). */
  reset(offset = 0): void {
    this.tail = Buffer.alloc(0);
    this.tailOffset = offset;
  }

  /** Splits `chunk`, which starts at file offset `at` (the end of the previous chunk). */
  push(chunk: Buffer, at: number): Line[] {
    const data = this.tail.length > 0 ? Buffer.concat([this.tail, chunk]) : chunk;
    const base = this.tail.length > 0 ? this.tailOffset : at;
    const lines: Line[] = [];
    let start = 0;
    for (let nl = data.indexOf(10); nl >= 0; nl = data.indexOf(10, start)) {
      lines.push({ text: data.toString('utf8', start, nl), offset: base + start });
      start = nl + 1;
    }
    if (data.length - start > this.maxLineBytes) {
      lines.push({ text: data.toString('utf8', start), offset: base + start });
      start = data.length;
    }
    // Copy the tail so the caller's read buffer can be reused.
    this.tail = Buffer.from(data.subarray(start));
    this.tailOffset = base + start;
    return lines;
  }
}
