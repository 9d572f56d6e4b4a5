import { describe, expect, it } from 'vitest';
import { ACTOR, GS, run, syscall } from './helpers';

describe('exit and exit_group', () => {
  it("gives the status sh -c 'exit 7' passed", () => {
    const { rows } = run([
      syscall(
        '100.250:10',
        'c000003e',
        231,
        `a0=7 a1=0 items=0 ppid=40 pid=41 auid=4294967295 uid=0 comm="sh" exe="/bin/sh"`,
      ),
      // 73 68 00 2D 63 00 65 78 69 74 20 37 = "sh\0-c\0exit 7"
      'type=PROCTITLE msg=audit(100.250:10): proctitle=7368002D6300657869742037',
    ]);
    expect(rows).toEqual([
      {
        time: 100,
        ingest_time: 1_800_000_000,
        eid: 'audit::100.250:10:0',
        kind: 'exit',
        pid: 41,
        path: '/bin/sh',
        name: 'sh',
        cmdline: 'sh -c exit 7',
        parent: 40,
        uid: 0,
        auid: null,
        user: null,
        exit_code: 7,
        signal: null,
        signal_name: null,
        actor_pid: 41,
        actor_path: '/bin/sh',
        actor_name: 'sh',
        actor_uid: 0,
        actor_auid: null,
        actor_user: null,
        service: null,
        syscall: 'exit_group',
        success: null,
        process_guid: null,
        source: 'test',
      },
    ]);
  });

  it('reads exit(-1) as -1, the int the program passed', () => {
    const { rows } = run([
      syscall('1.000:1', 'c000003e', 60, 'a0=ffffffff pid=2 comm="t"'),
      'type=PROCTITLE msg=audit(1.000:1): proctitle=74',
    ]);
    expect(rows[0]).toMatchObject({ kind: 'exit', syscall: 'exit', exit_code: -1 });
  });

  it('uses the i386 numbers for arch=40000003 (exit_group is 252, 231 is not)', () => {
    const { rows } = run([
      syscall('1.000:1', '40000003', 252, 'a0=3 pid=2 comm="a"'),
      'type=PROCTITLE msg=audit(1.000:1): proctitle=61',
      syscall('1.000:2', '40000003', 231, 'a0=3 pid=3 comm="b"'),
      'type=PROCTITLE msg=audit(1.000:2): proctitle=62',
    ]);
    expect(rows.map((r) => [r.pid, r.syscall, r.exit_code])).toEqual([[2, 'exit_group', 3]]);
  });

  it('uses the aarch64 numbers for arch=c00000b7 (kill is 129, exit_group 94)', () => {
    const { rows } = run([
      syscall('1.000:1', 'c00000b7', 129, `success=yes a0=64 a1=f ${ACTOR}`),
      'type=PROCTITLE msg=audit(1.000:1): proctitle=61',
      syscall('1.000:2', 'c00000b7', 94, 'a0=0 pid=9 comm="b"'),
      'type=PROCTITLE msg=audit(1.000:2): proctitle=62',
      syscall('1.000:3', 'c00000b7', 62, 'a0=0 pid=9 comm="b"'), // 62 is lseek there
      'type=PROCTITLE msg=audit(1.000:3): proctitle=62',
    ]);
    expect(rows.map((r) => [r.kind, r.syscall, r.pid, r.signal])).toEqual([
      ['signal', 'kill', 100, 15],
      ['exit', 'exit_group', 9, null],
    ]);
  });

  it('falls back to the ENRICHED SYSCALL= name for an arch without a table', () => {
    const { rows } = run([
      syscall('1.000:1', 'deadbeef', 9999, `a0=2 pid=4 comm="m"${GS}ARCH=mips SYSCALL=exit_group`),
      'type=PROCTITLE msg=audit(1.000:1): proctitle=6D',
    ]);
    expect(rows.map((r) => [r.syscall, r.exit_code])).toEqual([['exit_group', 2]]);
  });
});

describe('signals', () => {
  it('makes one row from the pid argument when there is no OBJ_PID', () => {
    const { rows } = run([
      syscall('2.000:5', 'c000003e', 62, `success=no exit=-3 a0=3d0900 a1=f ${ACTOR}`),
      'type=PROCTITLE msg=audit(2.000:5): proctitle=6B696C6C',
    ]);
    expect(rows).toHaveLength(1);
    // 0x3d0900 = 4000000, 0xf = 15
    expect(rows[0]).toMatchObject({
      kind: 'signal',
      pid: 4_000_000,
      name: null,
      signal: 15,
      signal_name: 'SIGTERM',
      success: 0,
      syscall: 'kill',
      actor_pid: 500,
      actor_name: 'killer',
      actor_path: '/usr/bin/killer',
      actor_uid: 1000,
      actor_auid: 1000,
      eid: 'audit::2.000:5:0',
    });
  });

  it('gives a process-group kill one row per OBJ_PID', () => {
    const { rows } = run([
      // kill(-4321, SIGHUP): a0 is -4321 in two's complement
      syscall('3.000:6', 'c000003e', 62, `success=yes a0=ffffffffffffef1f a1=1 ${ACTOR}`),
      'type=OBJ_PID msg=audit(3.000:6): opid=4321 oauid=-1 ouid=0 oses=-1 ocomm="leader"',
      `type=OBJ_PID msg=audit(3.000:6): opid=4322 oauid=1000 ouid=1000 oses=2 ocomm=6D7920776F726B6572${GS}OUID="alice"`,
      'type=PROCTITLE msg=audit(3.000:6): proctitle=6B696C6C',
    ]);
    expect(rows.map((r) => [r.eid, r.pid, r.name, r.uid, r.auid, r.user, r.signal_name])).toEqual([
      ['audit::3.000:6:0', 4321, 'leader', 0, null, null, 'SIGHUP'],
      ['audit::3.000:6:1', 4322, 'my worker', 1000, 1000, 'alice', 'SIGHUP'],
    ]);
  });

  it('reads a negative pid argument as signed when there is no OBJ_PID', () => {
    const { rows } = run([
      syscall('3.000:7', 'c000003e', 62, `success=no a0=ffffffffffffef1f a1=9 ${ACTOR}`),
      'type=PROCTITLE msg=audit(3.000:7): proctitle=6B',
    ]);
    expect(rows[0]).toMatchObject({ pid: -4321, signal: 9, success: 0 });
  });

  it('gives no row for signal 0', () => {
    const { rows, end } = run([
      syscall('4.000:8', 'c000003e', 62, `success=yes a0=64 a1=0 ${ACTOR}`),
      'type=OBJ_PID msg=audit(4.000:8): opid=100 oauid=-1 ouid=0 oses=-1 ocomm="x"',
      'type=PROCTITLE msg=audit(4.000:8): proctitle=6B',
    ]);
    expect([...rows, ...end()]).toEqual([]);
  });

  it.each([
    // name, x86_64 number, a0..a2, expected pid and signal
    ['tkill', 200, 'a0=65 a1=a', 101, 10],
    ['tgkill', 234, 'a0=65 a1=66 a2=c', 101, 12],
    ['rt_sigqueueinfo', 129, 'a0=65 a1=22', 101, 34],
    ['rt_tgsigqueueinfo', 297, 'a0=65 a1=66 a2=6', 101, 6],
    ['pidfd_send_signal', 424, 'a0=3 a1=9', null, 9],
  ])('%s reads its target and signal from the right arguments', (name, nr, args, pid, sig) => {
    const { rows } = run([
      syscall('5.000:9', 'c000003e', nr, `success=yes ${args} ${ACTOR}`),
      'type=PROCTITLE msg=audit(5.000:9): proctitle=6B',
    ]);
    expect(rows.map((r) => [r.syscall, r.pid, r.signal])).toEqual([[name, pid, sig]]);
  });
});

describe('standalone records', () => {
  it('turns ANOM_ABEND into a crash at once', () => {
    const { rows } = run([
      `type=ANOM_ABEND msg=audit(6.100:11): auid=1000 uid=1000 gid=1000 ses=3 pid=77 comm="boom" exe="/opt/boom" sig=11 res=1${GS}AUID="alice" UID="alice"`,
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'crash',
      pid: 77,
      name: 'boom',
      path: '/opt/boom',
      uid: 1000,
      auid: 1000,
      user: 'alice',
      signal: 11,
      signal_name: 'SIGSEGV',
      actor_pid: null,
      syscall: null,
      eid: 'audit::6.100:11:0',
      time: 6,
    });
  });

  it('turns SERVICE_STOP into a service_stop by its writer', () => {
    const { rows } = run([
      'type=SERVICE_STOP msg=audit(7.000:12): pid=1 uid=0 auid=4294967295 ses=4294967295 ' +
        'msg=\'unit=nginx.service comm="systemd" exe="/usr/lib/systemd/systemd" hostname=? addr=? terminal=? res=failed\'',
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      kind: 'service_stop',
      service: 'nginx.service',
      success: 0,
      pid: null,
      actor_pid: 1,
      actor_name: 'systemd',
      actor_path: '/usr/lib/systemd/systemd',
      actor_uid: 0,
      actor_auid: null,
    });
  });

  it('counts other standalone records as events without rows', () => {
    const { p, rows } = run([
      'type=USER_LOGIN msg=audit(8.000:13): pid=9 uid=0 msg=\'op=login acct="root" res=success\'',
    ]);
    expect(rows).toEqual([]);
    expect(p.stats.events).toBe(1);
  });
});
