import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { seekToTime } from '../../src/follow/time-seek';
import { TrackedFile } from '../../src/follow/tracked-file';
import { auditLineTime } from '../../src/sources/linux/audit-log/line-time';
import { tempDir } from './helpers';

let tmp: ReturnType<typeof tempDir>;
beforeEach(() => {
  tmp = tempDir();
});
afterEach(() => tmp.cleanup());

// Line i has time 1000 + floor(i / 10) and is padded to exactly 100 bytes with its newline.
function line(i: number): string {
  const head = `type=SYSCALL msg=audit(${1000 + Math.floor(i / 10)}.000:${i}): pid=${i} `;
  return `${head.padEnd(99, 'x')}\n`;
}

describe('seekToTime', () => {
  it('lands on a line start at most one probe window before the first line in range', async () => {
    const path = join(tmp.dir, 'audit.log');
    let body = '';
    for (let i = 0; i < 50_000; i++) body += line(i);
    writeFileSync(path, body);
    const file = await TrackedFile.open(path);
    // Time 4000 starts at line 30,000, byte 3,000,000.
    const at = await seekToTime(file, body.length, 4000, auditLineTime);
    await file.close();
    expect(at % 100).toBe(0);
    expect(at).toBeLessThanOrEqual(3_000_000);
    expect(at).toBeGreaterThan(3_000_000 - 300 * 1024);
  });

  it('reads a small file from its start', async () => {
    const path = join(tmp.dir, 'small.log');
    writeFileSync(path, line(0) + line(100));
    const file = await TrackedFile.open(path);
    expect(await seekToTime(file, 200, 1005, auditLineTime)).toBe(0);
    await file.close();
  });

  it.each([
    ['type=EOE msg=audit(1700000000.123:77): ', 1_700_000_000],
    ['node=h1 type=SYSCALL msg=audit(1.5:2): x', 1],
    ['not an audit line', null],
  ])('reads the time of %j', (text, want) => {
    expect(auditLineTime(text)).toBe(want);
  });
});
