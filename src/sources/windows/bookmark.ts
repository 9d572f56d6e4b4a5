import { mkdir, open, readFile, rename } from 'node:fs/promises';
import { dirname, join } from 'node:path';

/**
 * Where each event log channel was read up to: the last EventRecordID handed on, per channel.
 * Saved after the rows of a batch reached the sink, so a crash between the two re-reads a batch
 * (the buffer drops the repeats by eid) rather than losing it.
 */
export type Bookmarks = Record<string, number>;

const FILE_NAME = 'windows-bookmarks.json';

/** Reads and writes the bookmarks of one state directory; without one, keeps them in memory. */
export class BookmarkStore {
  readonly file: string | null;

  constructor(stateDir: string | null) {
    this.file = stateDir === null ? null : join(stateDir, FILE_NAME);
  }

  /** The saved bookmarks; none when there is no file yet. Throws when the file is unreadable. */
  async load(): Promise<Bookmarks> {
    if (this.file === null) return {};
    let text: string;
    try {
      text = await readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw err;
    }
    return parseBookmarks(text, this.file);
  }

  /** Replaces the file atomically: a temporary file, fsync, then rename over the old one. */
  async save(bookmarks: Bookmarks): Promise<void> {
    if (this.file === null) return;
    await mkdir(dirname(this.file), { recursive: true });
    const temp = `${this.file}.${process.pid}.tmp`;
    const handle = await open(temp, 'w', 0o600);
    try {
      await handle.writeFile(`${JSON.stringify({ version: 1, channels: bookmarks })}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, this.file);
  }
}

function parseBookmarks(text: string, file: string): Bookmarks {
  const fail = () =>
    new Error(
      `bookmark file ${file} is not {"version":1,"channels":{...}}; delete it to start over`,
    );
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    throw fail();
  }
  const channels = (doc as { channels?: unknown } | null)?.channels;
  if (typeof channels !== 'object' || channels === null) throw fail();
  const out: Bookmarks = {};
  for (const [name, id] of Object.entries(channels)) {
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) out[name] = id;
  }
  return out;
}
