/** A real event line is a few KiB; this bounds memory on input without newlines. */
export const MAX_LINE_CHARS = 1 << 20;

/**
 * Cuts text into lines, whatever the cut between `push` calls. A line longer than `maxChars`
 * is reported once to `onLong` (with its first characters) and the rest of it, up to its
 * newline, is skipped, so input without newlines holds at most `maxChars` of text.
 */
export class TextLines {
  private partial = '';
  private skipping = false;

  constructor(
    private readonly onLong: (start: string) => void,
    private readonly maxChars = MAX_LINE_CHARS,
  ) {}

  /** Adds text; returns the lines it completed, without their `\n`. */
  push(text: string): string[] {
    if (this.skipping) {
      const nl = text.indexOf('\n');
      if (nl < 0) return [];
      this.skipping = false;
      text = text.slice(nl + 1);
    }
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    if (this.partial.length > this.maxChars) {
      this.onLong(this.partial.slice(0, 256));
      this.partial = '';
      this.skipping = true;
    }
    return lines.filter((line) => this.fits(line));
  }

  /** The input ended: the last line if it had no newline ('' when none). */
  end(): string {
    const last = this.skipping ? '' : this.partial;
    this.reset();
    return last;
  }

  /** Forgets any unfinished line. */
  reset(): void {
    this.partial = '';
    this.skipping = false;
  }

  private fits(line: string): boolean {
    if (line.length <= this.maxChars) return true;
    this.onLong(line.slice(0, 256));
    return false;
  }
}
