import {
  appendFileSync,
  copyFileSync,
  mkdirSync,
  renameSync,
  truncateSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { block, follow, range, serials, tempDir, until } from './helpers';

let tmp: ReturnType<typeof tempDir>;
let log: string;
beforeEach(() => {
  tmp = tempDir();
  log = join(tmp.dir, 'audit.log');
});
afterEach(() => tmp.cleanup());

async function started(initial: string) {
  writeFileSync(log, initial);
  const f = follow(log);
  await f.follower.start();
  return f;
}

describe('RotatingFollower: copy-truncate, replacement, deletion', () => {
  it('reads the unread rest from the copy beside the log after a copy-truncate', async () => {
    const { follower, seen } = await started(block(0, 3));
    appendFileSync(log, block(3, 5)); // not read before the copy is made
    copyFileSync(log, `${log}.1`);
    truncateSync(log, 0);
    appendFileSync(log, block(5, 6));
    await until(() => seen.lines.length === 6);
    expect(serials(seen.lines)).toEqual(range(0, 6));
    expect(seen.gaps).toEqual([]);
    await follower.stop();
  });

  it('counts a gap when the log is truncated and its copy is not beside it', async () => {
    const { follower, seen } = await started(block(0, 3));
    mkdirSync(join(tmp.dir, 'elsewhere'));
    copyFileSync(log, join(tmp.dir, 'elsewhere', 'audit.log'));
    truncateSync(log, 0);
    appendFileSync(log, block(3, 4));
    await until(() => seen.lines.length === 4);
    expect(serials(seen.lines)).toEqual(range(0, 4));
    expect(seen.gaps).toHaveLength(1);
    await follower.stop();
  });

  it('notices a truncation by content when the log grew past the old offset again', async () => {
    const { follower, seen } = await started(block(0, 2));
    copyFileSync(log, `${log}.1`);
    writeFileSync(log, block(10, 20)); // truncate and write more than was there
    await until(() => seen.lines.length === 12);
    expect(serials(seen.lines)).toEqual([0, 1, ...range(10, 20)]);
    await follower.stop();
  });

  it('finishes the old file and reads a replacement (new inode, same name) from its start', async () => {
    const { follower, seen } = await started(block(0, 2));
    writeFileSync(join(tmp.dir, 'other'), block(5, 7));
    appendFileSync(log, block(2, 3));
    renameSync(join(tmp.dir, 'other'), log);
    await until(() => seen.lines.length === 5);
    expect(serials(seen.lines)).toEqual([0, 1, 2, 5, 6]);
    expect(seen.gaps).toEqual([]);
    await follower.stop();
  });

  it('reads what was written to a deleted log, then the recreated one', async () => {
    const { follower, seen } = await started(block(0, 1));
    appendFileSync(log, block(1, 2));
    unlinkSync(log);
    await new Promise((r) => setTimeout(r, 100));
    writeFileSync(log, block(2, 4));
    await until(() => seen.lines.length === 4);
    expect(serials(seen.lines)).toEqual(range(0, 4));
    expect(seen.gaps).toEqual([]);
    await follower.stop();
  });
});
