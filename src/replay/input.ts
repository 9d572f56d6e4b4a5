import { open, type FileHandle } from 'node:fs/promises';

/** Bytes read first to recognise a file's format and text encoding. */
export const HEAD_BYTES = 64 * 1024;

/** How a file's text is encoded, as far as its first bytes tell. */
export type TextEncoding = 'utf8' | 'utf16le' | 'utf16be';

/**
 * One replayed file, opened once and read front to back without positional reads, so pipes,
 * FIFOs and character devices work like regular files. The first bytes (`head`) are read when
 * it opens, for format detection, and served again by {@link ReplayInput.read}: nothing is read
 * twice and nothing is lost on a stream that cannot seek. Not safe for concurrent reads.
 */
export class ReplayInput {
  private headAt = 0;
  /** Bytes handed out by {@link read} so far. */
  bytesRead = 0;

  private constructor(
    readonly file: string,
    private readonly handle: FileHandle,
    /** The file's first bytes (fewer only when the file is shorter). */
    readonly head: Buffer,
  ) {}

  /** Opens `file` and reads its head. Rejects with an error naming the file. */
  static async open(file: string): Promise<ReplayInput> {
    let handle: FileHandle;
    try {
      handle = await open(file, 'r');
    } catch (err) {
      throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
    try {
      const head = Buffer.alloc(HEAD_BYTES);
      let filled = 0;
      // A pipe hands out what its writer has written so far: read until full or at its end.
      for (;;) {
        const { bytesRead } = await handle.read(head, filled, HEAD_BYTES - filled, null);
        filled += bytesRead;
        if (bytesRead === 0 || filled === HEAD_BYTES) break;
      }
      return new ReplayInput(file, handle, head.subarray(0, filled));
    } catch (err) {
      await handle.close();
      throw new Error(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  /** The encoding of the head (see {@link sniffEncoding}). */
  get encoding(): TextEncoding {
    return sniffEncoding(this.head);
  }

  /** The head as text in its encoding, without a byte order mark (for format detection). */
  headText(): string {
    return decodeHead(this.head, this.encoding);
  }

  /** Reads into buf[offset, offset + length): head bytes first, then the file; 0 at its end. */
  async read(buf: Buffer, offset: number, length: number): Promise<number> {
    let n: number;
    if (this.headAt < this.head.length) {
      n = this.head.copy(
        buf,
        offset,
        this.headAt,
        Math.min(this.head.length, this.headAt + length),
      );
      this.headAt += n;
    } else {
      n = (await this.handle.read(buf, offset, length, null)).bytesRead;
    }
    this.bytesRead += n;
    return n;
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}

/**
 * The text encoding of a file from its first bytes: a UTF-16 byte order mark, or else UTF-16
 * without one when most odd (LE) or even (BE) bytes of the first 512 are NUL, as ASCII text in
 * UTF-16 is; UTF-8 otherwise. A few stray NULs in UTF-8 text do not tip it.
 */
export function sniffEncoding(head: Buffer): TextEncoding {
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  if (head[0] === 0xfe && head[1] === 0xff) return 'utf16be';
  const n = Math.min(head.length, 512) & ~1;
  if (n < 4) return 'utf8';
  let oddNul = 0;
  let evenNul = 0;
  for (let i = 0; i < n; i += 2) {
    if (head[i] === 0) evenNul++;
    if (head[i + 1] === 0) oddNul++;
  }
  const pairs = n / 2;
  if (oddNul > pairs * 0.6 && evenNul < pairs * 0.1) return 'utf16le';
  if (evenNul > pairs * 0.6 && oddNul < pairs * 0.1) return 'utf16be';
  return 'utf8';
}

function decodeHead(head: Buffer, encoding: TextEncoding): string {
  if (encoding === 'utf8') return head.toString('utf8').replace(/^\uFEFF/, '');
  const even = head.subarray(0, head.length & ~1);
  const le = encoding === 'utf16le' ? even : Buffer.from(even).swap16();
  return le.toString('utf16le').replace(/^\uFEFF/, '');
}
