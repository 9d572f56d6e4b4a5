import { sameFile } from './file-id';
import { isCode, listFamily } from './log-family';
import { TrackedFile } from './tracked-file';

const ATTEMPTS = 5;

/**
 * Opens the files to read at start, oldest first: each rotated file last written at or after
 * `notBefore` (ms; an older one holds only events older than that), then the live log. When a
 * rotation renames files while they are being opened, starts over, so no file is skipped.
 * Rejects with the system error when the live log cannot be opened (ENOENT, EACCES).
 */
export async function openBacklog(path: string, notBefore: number): Promise<TrackedFile[]> {
  for (let attempt = 1; ; attempt++) {
    const files: TrackedFile[] = [];
    try {
      for (const m of await listFamily(path)) {
        if (m.path !== path && m.mtimeMs < notBefore) continue;
        const file = await TrackedFile.open(m.path);
        if (files.some((f) => sameFile(f.id, file.id))) await file.close();
        else files.push(file);
      }
      if (files.at(-1)?.path !== path) throw missing(path);
      if (await stillNamed(path, files)) return files;
    } catch (err) {
      await closeAll(files);
      if (!isCode(err, 'ENOENT') || attempt >= ATTEMPTS) throw err;
      continue;
    }
    await closeAll(files);
    if (attempt >= ATTEMPTS) throw new Error(`${path} kept rotating while its files were opened`);
  }
}

// Whether every opened file still has the name it was opened by.
async function stillNamed(path: string, files: readonly TrackedFile[]): Promise<boolean> {
  const now = await listFamily(path);
  return files.every((f) => now.some((m) => m.path === f.path && sameFile(m.id, f.id)));
}

function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such file, open '${path}'`), { code: 'ENOENT' });
}

async function closeAll(files: readonly TrackedFile[]): Promise<void> {
  await Promise.all(files.map((f) => f.close()));
}
