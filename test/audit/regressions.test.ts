import { describe, expect, it } from 'vitest';
import { AuditPipeline } from '../../src/audit/pipeline';
import { toInt } from '../../src/audit/interpret';
import { SerialTracker } from '../../src/audit/serials';

// Faults found by an adversarial review of the audit parser, one test each, named after it.

function lost(serials: number[]): number {
  const t = new SerialTracker();
  for (const s of serials) t.see('', s);
  t.finish();
  return t.lost;
}

describe('serial gaps (1 ms per event and lost 199,950,002 on steps of 9999)', () => {
  it('takes a step of 9999 as a new sequence, quickly', () => {
    const serials = Array.from({ length: 20_000 }, (_, i) => (i + 1) * 9999);
    const start = Date.now();
    expect(lost(serials)).toBe(0);
    expect(Date.now() - start).toBeLessThan(1000);
  });

  it.each([
    ['a gap at the bound counts', [1, 1001], 999],
    ['a gap past the bound is a new sequence', [1, 1002], 0],
    ['late arrivals inside a wide gap', [1, 500, 250, 251, 499, 2], 494],
    ['a gap of 900 filled one by one', [1, ...Array.from({ length: 901 }, (_, i) => 902 - i)], 0],
    ['every open hole is lost at the end', [1, 3, 1002, 1003], 1 + 998],
  ])('%s', (_name, serials, n) => {
    expect(lost(serials)).toBe(n);
  });
});

describe('numeric fields read with Number() (0x10, 1e3 accepted)', () => {
  it.each([
    ['42', 42],
    ['-1', -1],
    ['4294967295', 4294967295],
    ['0x10', null],
    ['1e3', null],
    ['Infinity', null],
    [' 5', null],
    ['5.0', null],
    ['+5', null],
    ['99999999999999999999', null],
    ['', null],
  ])('%s -> %s', (text, value) => {
    expect(toInt(text)).toBe(value);
  });

  it('leaves a hex pid empty in a row', () => {
    const p = new AuditPipeline({ source: 'test' });
    p.push(
      'type=SYSCALL msg=audit(10.000:1): arch=c000003e syscall=231 a0=0 pid=0x10 uid=1e3 comm="a"',
    );
    const [row] = p.end();
    expect(row?.pid).toBeNull();
    expect(row?.uid).toBeNull();
  });
});

describe('an event 86,000 s in the future cut an open kill event short', () => {
  const KILL =
    'type=SYSCALL msg=audit(1000.000:7): arch=c000003e syscall=62 success=yes a0=63 a1=9 pid=5 comm="k"';
  const OBJ = 'type=OBJ_PID msg=audit(1000.000:7): opid=99 oauid=-1 ouid=0 oses=-1 ocomm="t"';
  const future = (serial: number, sec: number) =>
    `type=SYSCALL msg=audit(${sec}.000:${serial}): arch=c000003e syscall=231 a0=0 pid=9 comm="f"`;

  it('keeps the kill open across one outlier, so its OBJ_PID target is read', () => {
    const p = new AuditPipeline({ source: 'test' });
    const rows = [KILL, future(8, 87_000), OBJ].flatMap((l) => p.push(l));
    rows.push(...p.end());
    const kill = rows.find((r) => r.kind === 'signal');
    expect(kill?.pid).toBe(99);
    expect(kill?.name).toBe('t');
  });

  it('follows a jump a second event confirms', () => {
    const p = new AuditPipeline({ source: 'test' });
    const rows = [KILL, future(8, 87_000), future(9, 87_001)].flatMap((l) => p.push(l));
    // The clock moved to 87001: the kill (no PROCTITLE) completed, with its a0 as target.
    expect(rows.find((r) => r.kind === 'signal')?.pid).toBe(0x63);
  });
});
