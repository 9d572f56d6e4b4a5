import { appendFileSync, renameSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
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

// auditd's rotation: log.N-1 -> log.N ... log -> log.1, then a new log.
function rotate(numLogs = 0): void {
  const names = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => `${log}.${n}`);
  for (let i = names.length - 1; i >= 1; i--) {
    try {
      renameSync(names[i - 1] as string, names[i] as string);
    } catch {
      /* that generation does not exist */
    }
  }
  renameSync(log, `${log}.1`);
  if (numLogs > 0) {
    for (const n of names.slice(numLogs - 1)) {
      try {
        unlinkSync(n);
      } catch {
        /* absent */
      }
    }
  }
  writeFileSync(log, '');
}

describe('RotatingFollower: start and append', () => {
  it('reads rotated files oldest first, then the live log, then what is appended', async () => {
    writeFileSync(`${log}.2`, block(0, 3));
    writeFileSync(`${log}.1`, block(3, 6));
    writeFileSync(log, block(6, 8));
    const { follower, seen } = follow(log);
    await follower.start();
    expect(serials(seen.lines)).toEqual(range(0, 8));
    appendFileSync(log, block(8, 10));
    await until(() => seen.lines.length === 10);
    expect(serials(seen.lines)).toEqual(range(0, 10));
    await follower.stop();
  });

  it('waits for the newline of a line still being written', async () => {
    writeFileSync(log, block(0, 1));
    const { follower, seen } = follow(log);
    await follower.start();
    const next = block(1, 2);
    appendFileSync(log, next.slice(0, 40));
    await new Promise((r) => setTimeout(r, 150));
    expect(seen.lines).toHaveLength(1);
    appendFileSync(log, next.slice(40));
    await until(() => seen.lines.length === 2);
    expect(serials(seen.lines)).toEqual([0, 1]);
    await follower.stop();
  });

  it('skips rotated files last written before notBefore, never the live log', async () => {
    writeFileSync(`${log}.1`, block(0, 3));
    writeFileSync(log, block(3, 4));
    utimesSync(`${log}.1`, 1000, 1000);
    utimesSync(log, 1000, 1000);
    const { follower, seen } = follow(log, { notBefore: 2_000_000 });
    await follower.start();
    expect(serials(seen.lines)).toEqual([3]);
    await follower.stop();
  });

  it('reports idle once data stops arriving', async () => {
    writeFileSync(log, block(0, 2));
    const { follower, seen } = follow(log);
    await follower.start();
    await until(() => seen.idles === 1);
    await follower.stop();
  });

  it('maps handed-out offsets back to file positions', async () => {
    writeFileSync(`${log}.1`, block(0, 2));
    writeFileSync(log, block(2, 4));
    const { follower, seen } = follow(log);
    await follower.start();
    const lineLen = block(0, 1).length;
    // The third line is the first of the live log: offset 0 there.
    expect(follower.position(seen.offsets[2] ?? -1)).toMatchObject({ path: log, offset: 0 });
    expect(follower.position(seen.offsets[1] ?? -1)).toMatchObject({
      path: `${log}.1`,
      offset: lineLen,
    });
    expect(follower.position(null)).toMatchObject({ path: log, offset: 2 * lineLen });
    await follower.stop();
  });
});

describe('RotatingFollower: rotation', () => {
  it('finishes the renamed file before the new one (auditd rotation)', async () => {
    writeFileSync(log, block(0, 3));
    const { follower, seen, errors } = follow(log);
    await follower.start();
    appendFileSync(log, block(3, 5)); // written just before the rotation, not read yet
    rotate();
    appendFileSync(log, block(5, 7));
    await until(() => seen.lines.length === 7);
    expect(serials(seen.lines)).toEqual(range(0, 7));
    expect(seen.gaps).toEqual([]);
    expect(errors).toEqual([]);
    await follower.stop();
  });

  it('reads every file of a burst of rotations in order', async () => {
    writeFileSync(log, block(0, 2));
    const { follower, seen } = follow(log);
    await follower.start();
    for (let i = 0; i < 3; i++) {
      appendFileSync(log, block(2 + i * 2, 4 + i * 2));
      rotate();
    }
    appendFileSync(log, block(8, 9));
    await until(() => seen.lines.length === 9);
    expect(serials(seen.lines)).toEqual(range(0, 9));
    expect(seen.gaps).toEqual([]);
    await follower.stop();
  });

  it('loses nothing when num_logs deletes a rotated file during a burst', async () => {
    writeFileSync(log, block(0, 2));
    const { follower, seen } = follow(log);
    await follower.start();
    appendFileSync(log, block(2, 3));
    rotate(2); // file A becomes log.1
    appendFileSync(log, block(3, 4));
    rotate(2); // B becomes log.1, A is deleted (we still hold it open)
    appendFileSync(log, block(4, 5));
    await until(() => seen.lines.length === 5);
    expect(serials(seen.lines)).toEqual(range(0, 5));
    await follower.stop();
  });

  it('keeps following across many rotations (keep_logs)', async () => {
    writeFileSync(log, '');
    const { follower, seen } = follow(log);
    await follower.start();
    for (let i = 0; i < 6; i++) {
      appendFileSync(log, block(i, i + 1));
      await until(() => seen.lines.length === i + 1);
      rotate();
    }
    appendFileSync(log, block(6, 7));
    await until(() => seen.lines.length === 7);
    expect(serials(seen.lines)).toEqual(range(0, 7));
    await follower.stop();
  });
});
