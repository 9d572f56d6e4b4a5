import { describe, expect, it } from 'vitest';
import { AuditPipeline } from '../../src/audit/pipeline';
import { ACTOR, run, syscall } from './helpers';

describe('assembly', () => {
  it('keeps two interleaved events apart', () => {
    const { rows } = run([
      syscall('9.000:20', 'c000003e', 62, `success=yes a0=c8 a1=f ${ACTOR}`),
      syscall('9.000:21', 'c000003e', 231, 'a0=5 pid=300 comm="other"'),
      'type=OBJ_PID msg=audit(9.000:20): opid=200 oauid=-1 ouid=0 oses=-1 ocomm="victim"',
      'type=PROCTITLE msg=audit(9.000:21): proctitle=6F',
      'type=PROCTITLE msg=audit(9.000:20): proctitle=6B',
    ]);
    expect(rows.map((r) => [r.eid, r.kind, r.pid, r.name])).toEqual([
      ['audit::9.000:21:0', 'exit', 300, 'other'],
      ['audit::9.000:20:0', 'signal', 200, 'victim'],
    ]);
  });

  it('keeps events of two nodes with the same serial apart', () => {
    const { rows } = run([
      `node=a ${syscall('9.000:20', 'c000003e', 231, 'a0=1 pid=1 comm="x"')}`,
      `node=b ${syscall('9.000:20', 'c000003e', 231, 'a0=2 pid=2 comm="y"')}`,
      'node=b type=PROCTITLE msg=audit(9.000:20): proctitle=79',
      'node=a type=PROCTITLE msg=audit(9.000:20): proctitle=78',
    ]);
    expect(rows.map((r) => [r.eid, r.exit_code, r.cmdline])).toEqual([
      ['audit:b:9.000:20:0', 2, 'y'],
      ['audit:a:9.000:20:0', 1, 'x'],
    ]);
  });

  it('keeps records that come before their SYSCALL', () => {
    // ANOM_PROMISCUOUS precedes its SYSCALL in real logs; an OBJ_PID could do the same
    const { rows } = run([
      'type=OBJ_PID msg=audit(9.500:25): opid=77 oauid=-1 ouid=0 oses=-1 ocomm="v"',
      syscall('9.500:25', 'c000003e', 62, `success=yes a0=4d a1=9 ${ACTOR}`),
      'type=PROCTITLE msg=audit(9.500:25): proctitle=6B',
    ]);
    expect(rows.map((r) => [r.pid, r.name, r.signal])).toEqual([[77, 'v', 9]]);
  });

  it('completes on EOE', () => {
    const { rows } = run([
      syscall('10.000:30', 'c000003e', 231, 'a0=0 pid=1 comm="x"'),
      'type=EOE msg=audit(10.000:30): ',
    ]);
    expect(rows).toHaveLength(1);
  });

  it('completes an event without PROCTITLE once event time passes the timeout', () => {
    const { p, rows } = run(
      [
        syscall('20.000:40', 'c000003e', 231, 'a0=4 pid=1 comm="x"'),
        'type=CWD msg=audit(21.999:41): cwd="/"', // 1999 ms later: not yet
      ],
      { completionTimeoutMs: 2000 },
    );
    expect(rows).toEqual([]);
    expect(p.flush()).toEqual([]);
    const later = p.push('type=CWD msg=audit(22.000:42): cwd="/"'); // 2000 ms later
    expect(later.map((r) => r.exit_code)).toEqual([4]);
  });

  it('reports the offset of the oldest open event', () => {
    const p = new AuditPipeline({ source: 'test' });
    expect(p.pendingOffset()).toBeNull();
    p.push(syscall('1.000:1', 'c000003e', 231, 'a0=0 pid=1'), 100);
    p.push(syscall('1.000:2', 'c000003e', 231, 'a0=0 pid=2'), 250);
    expect(p.pendingOffset()).toBe(100);
    p.push('type=PROCTITLE msg=audit(1.000:1): proctitle=61', 300);
    expect(p.pendingOffset()).toBe(250);
    expect(p.flush(true)).toHaveLength(1);
    expect(p.pendingOffset()).toBeNull();
  });

  it('completes the oldest open event early when too many are open', () => {
    const p = new AuditPipeline({ source: 'test', maxPendingEvents: 2 });
    p.push(syscall('1.000:1', 'c000003e', 231, 'a0=1 pid=1'));
    p.push(syscall('1.000:2', 'c000003e', 231, 'a0=2 pid=2'));
    const rows = p.push(syscall('1.000:3', 'c000003e', 231, 'a0=3 pid=3'));
    expect(rows.map((r) => r.exit_code)).toEqual([1]);
    expect(p.stats.evicted).toBe(1);
  });

  it('counts records, events and unreadable lines', () => {
    const { p } = run(['# a comment', '', 'not audit', 'type=EOE msg=audit(1.000:1): ']);
    expect(p.stats).toMatchObject({ records: 1, parseErrors: 1 });
  });
});
