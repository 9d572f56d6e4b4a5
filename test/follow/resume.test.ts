import { appendFileSync, renameSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { FilePosition } from '../../src/follow/file-id';
import { block, follow, range, serials, tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let log: string;
beforeEach(() => {
  tmp = tempDir();
  log = join(tmp.dir, 'audit.log');
});
afterEach(() => tmp.cleanup());

// Runs a follower over what is on disk and returns where it stopped.
async function runOnce(): Promise<FilePosition> {
  const { follower } = follow(log);
  await follower.start();
  const pos = follower.position(null);
  await follower.stop();
  if (!pos) throw new Error('no position');
  return pos;
}

describe('RotatingFollower: restart from a saved position', () => {
  it('reports no gap when the file it stopped in was rotated while down', async () => {
    writeFileSync(log, block(0, 2));
    const resume = await runOnce();
    appendFileSync(log, block(2, 3));
    renameSync(log, `${log}.1`);
    writeFileSync(log, block(3, 4));
    const { follower, seen } = follow(log, { resume });
    await follower.start();
    expect(serials(seen.lines)).toEqual(range(0, 4));
    expect(seen.gaps).toEqual([]);
    await follower.stop();
  });

  it('counts a gap when the file it stopped in was deleted while down', async () => {
    writeFileSync(log, block(0, 2));
    const resume = await runOnce();
    renameSync(log, `${log}.1`);
    unlinkSync(`${log}.1`);
    writeFileSync(log, block(3, 4));
    const { follower, seen } = follow(log, { resume });
    await follower.start();
    expect(serials(seen.lines)).toEqual([3]);
    expect(seen.gaps).toHaveLength(1);
    await follower.stop();
  });

  it('counts a gap when the file it stopped in was truncated in place while down', async () => {
    writeFileSync(log, block(0, 2));
    const resume = await runOnce();
    truncateSync(log, 0);
    appendFileSync(log, block(5, 6));
    const { follower, seen } = follow(log, { resume });
    await follower.start();
    expect(serials(seen.lines)).toEqual([5]);
    expect(seen.gaps).toHaveLength(1);
    await follower.stop();
  });
});
