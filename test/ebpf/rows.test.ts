import { describe, expect, it } from 'vitest';
import type { ExitRecord, SignalRecord } from '../../src/sources/linux/ebpf/parse';
import { EbpfRows, monotonicToUnix } from '../../src/sources/linux/ebpf/rows';

// ktime 5 s after "boot" maps to unix 1,700,000,005.250 s: the converter below adds 1.7e9 s.
const BOOT = 'b00t';
const rowsFor = () =>
  new EbpfRows({
    bootId: BOOT,
    ktimeToUnixMs: (k) => Number(k / 1_000_000n) + 1_700_000_000_000,
    clock: { now: () => 1_700_000_009_999 },
  });

const exit = (over: Partial<ExitRecord>): ExitRecord => ({
  type: 'exit',
  ktime: 5_250_000_000n,
  pid: 100,
  tid: 100,
  ppid: 1,
  uid: 1000,
  status: 0,
  comm: 'worker',
  ...over,
});

const signal = (over: Partial<SignalRecord>): SignalRecord => ({
  type: 'signal',
  ktime: 5_000_000_000n,
  pid: 200,
  tid: 200,
  uid: 0,
  target: 100,
  sig: 9,
  code: 0,
  group: 1,
  result: 0,
  comm: 'kill',
  targetComm: 'worker',
  ...over,
});

describe('EbpfRows exit rows', () => {
  it('a normal exit: exit code from bits 8-15 of the wait status, no signal', () => {
    const [row] = rowsFor().rows(exit({ status: 3 << 8 }));
    expect(row).toMatchObject({
      kind: 'exit',
      time: 1_700_000_005,
      ingest_time: 1_700_000_009,
      eid: 'ebpf:b00t:5250000000:100',
      pid: 100,
      name: 'worker',
      parent: 1,
      uid: 1000,
      exit_code: 3,
      signal: null,
      source: 'ebpf',
    });
  });

  it('a death by SIGKILL (status 9): kind exit, signal 9, no exit code', () => {
    const [row] = rowsFor().rows(exit({ status: 9 }));
    expect(row).toMatchObject({ kind: 'exit', signal: 9, signal_name: 'SIGKILL', exit_code: null });
  });

  it.each([
    ['SIGSEGV with core (0x80|11)', 0x8b, 11, 'SIGSEGV'],
    ['SIGSEGV without core', 11, 11, 'SIGSEGV'],
    ['SIGABRT', 6, 6, 'SIGABRT'],
  ])('a death by %s is a crash', (_n, status, sig, name) => {
    const [row] = rowsFor().rows(exit({ status }));
    expect(row).toMatchObject({ kind: 'crash', signal: sig, signal_name: name, exit_code: null });
  });

  it('takes the path from the last exec of the pid, then forgets it', () => {
    const rows = rowsFor();
    rows.rows({ type: 'exec', ktime: 1n, pid: 100, path: '/usr/bin/old' });
    rows.rows({ type: 'exec', ktime: 2n, pid: 100, path: '/usr/bin/worker' });
    expect(rows.rows(exit({}))[0]?.path).toBe('/usr/bin/worker');
    expect(rows.rows(exit({ ktime: 9n }))[0]?.path).toBeNull();
  });

  it('a seeded path never replaces one learnt from an exec', () => {
    const rows = rowsFor();
    rows.rows({ type: 'exec', ktime: 1n, pid: 100, path: '/new' });
    rows.seedPath(100, '/old');
    rows.seedPath(101, '/seeded');
    expect(rows.rows(exit({}))[0]?.path).toBe('/new');
    expect(rows.rows(exit({ pid: 101 }))[0]?.path).toBe('/seeded');
  });

  it('forgets the oldest path beyond maxPaths', () => {
    const rows = new EbpfRows({
      bootId: BOOT,
      ktimeToUnixMs: () => 0,
      clock: { now: () => 0 },
      maxPaths: 2,
    });
    for (const pid of [1, 2, 3]) rows.rows({ type: 'exec', ktime: 1n, pid, path: `/p${pid}` });
    expect(rows.rows(exit({ pid: 1 }))[0]?.path).toBeNull();
    expect(rows.rows(exit({ pid: 3 }))[0]?.path).toBe('/p3');
  });
});

describe('EbpfRows signal rows', () => {
  it('a signal another process sends: target, signal and actor', () => {
    const rows = rowsFor();
    rows.rows({ type: 'exec', ktime: 1n, pid: 200, path: '/usr/bin/kill' });
    const [row] = rows.rows(signal({}));
    expect(row).toMatchObject({
      kind: 'signal',
      eid: 'ebpf:b00t:5000000000:100',
      pid: 100,
      name: 'worker',
      signal: 9,
      signal_name: 'SIGKILL',
      actor_pid: 200,
      actor_name: 'kill',
      actor_path: '/usr/bin/kill',
      actor_uid: 0,
      success: 1,
      exit_code: null,
    });
  });

  it('a signal the kernel could not queue (result 3, overflow) is success 0', () => {
    expect(rowsFor().rows(signal({ result: 3 }))[0]?.success).toBe(0);
  });

  it.each([
    ['to its own process', { pid: 100, tid: 101, target: 100 }],
    ['to its own thread', { pid: 100, tid: 101, target: 101 }],
  ])('a signal sent %s is not a row', (_n, over) => {
    expect(rowsFor().rows(signal(over))).toEqual([]);
  });

  it('the death by the signal last sent names its sender as the actor', () => {
    const rows = rowsFor();
    rows.rows(signal({ sig: 15, comm: 'systemctl', pid: 300, tid: 300 }));
    rows.rows(signal({ sig: 9 }));
    const [row] = rows.rows(exit({ status: 9 }));
    expect(row).toMatchObject({ actor_pid: 200, actor_name: 'kill', actor_uid: 0 });
  });

  it('a death by another signal than the one sent has no actor', () => {
    const rows = rowsFor();
    rows.rows(signal({ sig: 15 }));
    expect(rows.rows(exit({ status: 9 }))[0]?.actor_pid).toBeNull();
  });

  it('the actor is forgotten once the process exited', () => {
    const rows = rowsFor();
    rows.rows(signal({ sig: 9 }));
    rows.rows(exit({ status: 0 }));
    expect(rows.rows(exit({ status: 9, ktime: 7n }))[0]?.actor_pid).toBeNull();
  });
});

describe('monotonicToUnix', () => {
  it('anchors CLOCK_MONOTONIC nanoseconds to the wall clock', () => {
    // At monotonic 10 s the wall clock read 1,700,000,000,000 ms; 2.5 s later is ...2,500 ms.
    const toUnix = monotonicToUnix(1_700_000_000_000, 10_000_000_000n);
    expect(toUnix(12_500_000_000n)).toBe(1_700_000_002_500);
  });
});
