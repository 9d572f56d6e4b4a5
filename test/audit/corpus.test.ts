import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Termination } from '../../src/model/termination';
import { readRows } from '../../src/replay/read-rows';

const CORPUS = '/work/shared/corpus/linux-audit';
const WORKLOAD = join(CORPUS, 'this-machine/termination-workload.log');
const clock = { now: () => 1_900_000_000_000 };

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

async function rowsOf(file: string): Promise<Termination[]> {
  const rows: Termination[] = [];
  for await (const row of readRows([file], { format: 'audit', ingestClock: clock })) rows.push(row);
  return rows;
}

describe.skipIf(!existsSync(CORPUS))(`every file under ${CORPUS}`, () => {
  // YAML and text files go through the audit reader as they are: no exception, whatever the content.
  const files = existsSync(CORPUS) ? filesUnder(CORPUS) : [];
  it.each(files)('%s replays', async (file) => {
    const rows = await rowsOf(file);
    for (const row of rows) expect(row.eid).toMatch(/^audit:/);
  });
});

describe.skipIf(!existsSync(WORKLOAD))('termination-workload.log, decoded by hand', () => {
  let rows: Termination[] = [];
  const byEid = (eid: string) => rows.find((r) => r.eid === eid);

  it('replays', async () => {
    rows = await rowsOf(WORKLOAD);
    expect(rows.length).toBeGreaterThan(0);
  });

  it('has the expected number of rows of each kind', () => {
    // exit: 185 SYSCALL records with syscall=231 plus 30 with 60 (grep -c) = 215.
    // crash: 60 ANOM_ABEND records.
    // signal: 361 kill events - 30 with a1=0 (probes) = 331; 30 of them failed (success=no,
    // ESRCH) without OBJ_PID: 30 rows; the 301 others have 361 OBJ_PID records (451 OBJ_PID in
    // all, minus 30 of the probes, 30 of tgkill, 30 of pidfd_send_signal); + 30
    // pidfd_send_signal rows; tgkill is only used with signal 0 here: 0 rows. 30+361+30 = 421.
    const kinds = { exit: 0, signal: 0, crash: 0, service_stop: 0 };
    for (const r of rows) kinds[r.kind]++;
    expect(kinds).toEqual({ exit: 215, signal: 421, crash: 60, service_stop: 0 });
    expect(new Set(rows.map((r) => r.eid)).size).toBe(rows.length);
  });

  it("exit_group of bash -c 'exit 1' (lines 212-213)", () => {
    // syscall=231 a0=1 ppid=4083 pid=4102 auid=4294967295 uid=0 comm="bash" exe="/usr/bin/bash"
    // UID="root"; proctitle=62617368 00 2D63 00 657869742031 = bash, -c, exit 1
    expect(byEid('audit::1796314253.986:28219:0')).toMatchObject({
      kind: 'exit',
      time: 1796314253,
      pid: 4102,
      parent: 4083,
      exit_code: 1,
      uid: 0,
      auid: null,
      user: 'root',
      name: 'bash',
      path: '/usr/bin/bash',
      cmdline: 'bash -c exit 1',
      actor_pid: 4102,
      syscall: 'exit_group',
      success: null,
      signal: null,
      ingest_time: 1_900_000_000,
      source: 'replay',
    });
  });

  it("exit_group of bash -c 'exit 6' (lines 1032-1033) and timeout's 124 (line 172)", () => {
    expect(byEid('audit::1796314254.862:28409:0')).toMatchObject({ pid: 4182, exit_code: 6 });
    // a0=7c: timeout exits 124 when its command timed out
    expect(byEid('audit::1796314253.934:28208:0')).toMatchObject({
      pid: 4097,
      exit_code: 124,
      name: 'timeout',
    });
  });

  it('exit of a python thread (line 182)', () => {
    // syscall=60 a0=0 pid=4083: audit logs the thread group id, so the process's pid
    expect(byEid('audit::1796314253.982:28212:0')).toMatchObject({
      kind: 'exit',
      syscall: 'exit',
      pid: 4083,
      exit_code: 0,
      name: 'python3',
      path: '/usr/bin/python3.11',
    });
  });

  it("timeout's kill(0, SIGINT) reaches its process group (lines 161-164)", () => {
    // a0=0 a1=2 by pid=4097 comm="timeout"; OBJ_PID opid=4097 "timeout" and opid=4098 "sleep"
    const common = {
      kind: 'signal',
      signal: 2,
      signal_name: 'SIGINT',
      success: 1,
      syscall: 'kill',
      actor_pid: 4097,
      actor_name: 'timeout',
      actor_path: '/usr/bin/timeout',
      actor_uid: 0,
      actor_auid: null,
      uid: 0,
      auid: null,
    };
    expect(byEid('audit::1796314253.934:28205:0')).toMatchObject({
      ...common,
      pid: 4097,
      name: 'timeout',
    });
    expect(byEid('audit::1796314253.934:28205:1')).toMatchObject({
      ...common,
      pid: 4098,
      name: 'sleep',
    });
  });

  it('pidfd_send_signal SIGKILL (lines 77-79)', () => {
    // syscall=424 a0=3 (a pidfd) a1=9; OBJ_PID opid=4089 ocomm="sleep"
    expect(byEid('audit::1796314253.810:28187:0')).toMatchObject({
      kind: 'signal',
      syscall: 'pidfd_send_signal',
      pid: 4089,
      name: 'sleep',
      signal: 9,
      signal_name: 'SIGKILL',
      success: 1,
      actor_pid: 4083,
      actor_name: 'python3',
    });
  });

  it('failed kill of a pid that does not exist (lines 177-178)', () => {
    // success=no exit=-3 (ESRCH) a0=3d0900 = 4000000, a1=f = 15; no OBJ_PID
    expect(byEid('audit::1796314253.934:28210:0')).toMatchObject({
      kind: 'signal',
      pid: 4000000,
      name: null,
      signal: 15,
      signal_name: 'SIGTERM',
      success: 0,
      actor_pid: 4083,
    });
  });

  it('tgkill with signal 0 gives no row (lines 179-181)', () => {
    expect(rows.filter((r) => r.eid.startsWith('audit::1796314253.934:28211:'))).toEqual([]);
  });

  it("bash's kill -ABRT $$ and the crash it causes (lines 87-90)", () => {
    // kill a0=ffa = 4090 a1=6 by pid=4090; OBJ_PID opid=4090 ocomm="bash"
    expect(byEid('audit::1796314253.810:28189:0')).toMatchObject({
      kind: 'signal',
      pid: 4090,
      actor_pid: 4090,
      signal: 6,
      signal_name: 'SIGABRT',
    });
    // ANOM_ABEND pid=4090 comm="bash" exe="/usr/bin/bash" sig=6
    expect(byEid('audit::1796314253.810:28190:0')).toMatchObject({
      kind: 'crash',
      pid: 4090,
      name: 'bash',
      path: '/usr/bin/bash',
      signal: 6,
      signal_name: 'SIGABRT',
      uid: 0,
      auid: null,
      user: 'root',
      syscall: null,
    });
  });

  it('python3 SIGSEGV crash (line 98)', () => {
    // ANOM_ABEND auid=4294967295 uid=0 pid=4091 comm="python3" exe="/usr/bin/python3.11" sig=11
    expect(byEid('audit::1796314253.822:28192:0')).toMatchObject({
      kind: 'crash',
      pid: 4091,
      name: 'python3',
      path: '/usr/bin/python3.11',
      signal: 11,
      signal_name: 'SIGSEGV',
      uid: 0,
      auid: null,
    });
  });

  it('SIGUSR1 to auditd by the log rotation script (lines 2-4)', () => {
    // a0=8ef = 2287, a1=a = 10 by pid=4064 comm="bash"; OBJ_PID opid=2287 ocomm="auditd"
    expect(byEid('audit::1796314252.758:28169:0')).toMatchObject({
      pid: 2287,
      name: 'auditd',
      signal: 10,
      signal_name: 'SIGUSR1',
      actor_pid: 4064,
      actor_name: 'bash',
      actor_path: '/usr/bin/bash',
    });
  });
});
