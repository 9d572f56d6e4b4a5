import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { AuditPipeline } from '../../src/audit/pipeline';
import { SerialTracker } from '../../src/audit/serials';

const GO = '/work/shared/corpus/linux-audit/go-libaudit';
const THIS = '/work/shared/corpus/linux-audit/this-machine/termination-workload.log';

function lost(serials: Array<number | [string, number]>): number {
  const t = new SerialTracker();
  for (const s of serials) {
    if (typeof s === 'number') t.see('', s);
    else t.see(s[0], s[1]);
  }
  t.finish();
  return t.lost;
}

describe('SerialTracker', () => {
  it.each([
    ['consecutive', [1, 2, 3], 0],
    ['one gap', [1, 2, 5, 6], 2],
    ['late arrival fills the gap', [1, 3, 2, 4], 0],
    ['wrap at 2^32', [4294967294, 4294967295, 0, 1], 0],
    ['gap across the wrap', [4294967295, 1], 1],
    ['huge forward jump is a new sequence', [1, 2, 50_000], 0],
    ['far backward jump is a new sequence', [5000, 5001, 10], 0],
    ['new sequence counts the old holes', [5000, 5002, 10], 1],
  ])('%s', (_name, serials, n) => {
    expect(lost(serials)).toBe(n);
  });

  it('counts gaps per node', () => {
    expect(
      lost([
        ['a', 1],
        ['b', 100],
        ['a', 2],
        ['b', 101],
      ]),
    ).toBe(0);
    expect(
      lost([
        ['a', 1],
        ['b', 100],
        ['a', 3],
        ['b', 101],
      ]),
    ).toBe(1);
  });

  it('counts a hole once the newest serial is far past it', () => {
    const t = new SerialTracker();
    t.see('', 1);
    t.see('', 3);
    expect(t.lost).toBe(0);
    t.see('', 1002);
    expect(t.lost).toBe(0); // 2 is 1000 behind: it may still come
    t.see('', 1003);
    // 2 is now 1001 behind; the holes 4..1002 opened by the jump are younger
    expect(t.lost).toBe(1);
  });
});

async function replayLost(file: string): Promise<number> {
  const p = new AuditPipeline({ source: 'test' });
  for (const line of (await readFile(file, 'utf8')).split('\n')) p.push(line);
  p.end();
  return p.stats.lost;
}

describe.skipIf(!existsSync(GO))('go-libaudit samples', () => {
  it.each([
    ['testdata_normal.log', 0], // serials 58..62
    ['testdata_out_of_order.log', 0], // 58..62 with records of 60 and 61 late
    ['testdata_rollover.log', 0], // 4294967294, 4294967295, 0, 1, 2
    ['testdata_lost_messages.log', 9], // 49 then 59: 50..58 missing
  ])('%s loses %i', async (name, n) => {
    expect(await replayLost(`${GO}/${name}`)).toBe(n);
  });
});

describe.skipIf(!existsSync(THIS))('termination-workload.log', () => {
  // Serials run 28169..29323 with 28170, 28172, 29318 and 29320 absent; 28224 comes after
  // 28225. DAEMON_ROTATE's 547 is auditd's own counter.
  it('loses 4', async () => {
    expect(await replayLost(THIS)).toBe(4);
  });
});

describe('idle flush', () => {
  it('keeps a serial gap open: the missing event may still be written', () => {
    const p = new AuditPipeline({ source: 'test' });
    p.push('type=ANOM_ABEND msg=audit(1700000000.000:10): auid=0 uid=0 pid=5 comm="a" sig=11');
    p.push('type=ANOM_ABEND msg=audit(1700000000.000:12): auid=0 uid=0 pid=6 comm="b" sig=11');
    p.flush(true);
    expect(p.stats.lost).toBe(0);
    p.push('type=ANOM_ABEND msg=audit(1700000000.000:11): auid=0 uid=0 pid=7 comm="c" sig=11');
    p.end();
    expect(p.stats.lost).toBe(0);
  });
});
