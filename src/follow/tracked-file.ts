import { open, type FileHandle } from 'node:fs/promises';
import type { Stats } from 'node:fs';
import { fileIdOf, type FileId, type FilePosition } from './file-id';
import {
  FINGERPRINT_BYTES,
  fingerprintMatches,
  takeFingerprint,
  type Fingerprint,
} from './fingerprint';
import { LineSplitter, type Line } from './line-splitter';

/** What a file's own content says about it since it was last checked. */
export type ContentCheck = 'same' | 'truncated';

/**
 * One open log file being read front to back. The handle stays open after a rename or a
 * delete, so a rotated file is always finished from the same descriptor, whatever its new name.
 * `base` maps its byte offsets into one offset space shared by every file the follower reads,
 * assigned when the file becomes the one being read.
 */
export class TrackedFile {
  readOffset = 0;
  base = -1;
  mtimeMs = 0;
  fingerprint: Fingerprint | null = null;
  private readonly splitter = new LineSplitter();

  private constructor(
    private readonly fh: FileHandle,
    readonly path: string,
    readonly id: FileId,
  ) {}

  /** Opens `path` read-only; rejects with the system error (ENOENT, EACCES) as is. */
  static async open(path: string): Promise<TrackedFile> {
    const fh = await open(path, 'r');
    try {
      const st = await fh.stat();
      const file = new TrackedFile(fh, path, fileIdOf(st));
      file.mtimeMs = st.mtimeMs;
      return file;
    } catch (err) {
      await fh.close();
      throw err;
    }
  }

  get active(): boolean {
    return this.base >= 0;
  }

  /** File offset just past the last complete line handed out. */
  get consumed(): number {
    return this.splitter.consumed;
  }

  /** Starts reading at `offset` (a line boundary) from the beginning of the splitter. */
  seek(offset: number): void {
    this.readOffset = offset;
    this.splitter.reset(offset);
  }

  /** Forgets everything read: the file was truncated and is read again from byte 0. */
  restart(): void {
    this.seek(0);
    this.base = -1;
    this.fingerprint = null;
  }

  /** Reads the next chunk into `buf`; returns its complete lines, or null at end of file. */
  async read(buf: Buffer): Promise<Line[] | null> {
    const { bytesRead } = await this.fh.read(buf, 0, buf.length, this.readOffset);
    if (bytesRead === 0) return null;
    const at = this.readOffset;
    this.readOffset += bytesRead;
    return this.splitter.push(buf.subarray(0, bytesRead), at);
  }

  /** Reads up to `buf.length` bytes at `position` without moving the read offset. */
  async readAt(buf: Buffer, position: number): Promise<number> {
    const { bytesRead } = await this.fh.read(buf, 0, buf.length, position);
    return bytesRead;
  }

  stat(): Promise<Stats> {
    return this.fh.stat();
  }

  /**
   * Compares the file's size and first bytes with what was read: a file now shorter than the
   * read offset, or starting with other bytes, was truncated (and perhaps written again).
   * Extends the fingerprint while the file is shorter than FINGERPRINT_BYTES.
   */
  async check(st: Stats): Promise<ContentCheck> {
    this.mtimeMs = st.mtimeMs;
    if (st.size < this.readOffset) return 'truncated';
    if (this.fingerprint && !(await fingerprintMatches(this.fh, this.fingerprint))) {
      return 'truncated';
    }
    const have = this.fingerprint?.length ?? 0;
    if (have < FINGERPRINT_BYTES && st.size > have) {
      this.fingerprint = await takeFingerprint(this.fh, st.size);
    }
    return 'same';
  }

  /** Where reading stands, at a line boundary, as a restart-safe position. */
  position(offset = this.consumed): FilePosition {
    return { ...this.id, path: this.path, offset, fingerprint: this.fingerprint };
  }

  close(): Promise<void> {
    return this.fh.close();
  }
}
