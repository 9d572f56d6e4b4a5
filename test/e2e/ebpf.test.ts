import { spawnSync } from 'node:child_process';
import { existsSync, openSync, readSync, closeSync, statSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPipeline } from '../../src/audit/pipeline';
import {
  auditdPids,
  ensureAuditd,
  killSleepWithKill,
  segfault,
  shExit,
  stopAuditd,
  until,
} from '../ebpf/host-auditd';
import { launchExtension, waitForSource, type StandInControl } from '../helpers/osqueryd';

// The eBPF source end to end: the Python stand-in autoloads the built extension with
// `--source auto` while auditd is stopped (so auto must pick ebpf), then auditd is restarted at
// once and the rows are read through osquery's Thrift protocol. Needs root and bpftrace.
const hasBpftrace = spawnSync('bpftrace', ['--version']).status === 0;
const skip = process.getuid?.() !== 0 || !hasBpftrace || !existsSync('/sys/kernel/btf/vmlinux');
const AUDIT_LOG = '/var/log/audit/audit.log';
const RULE = ['always,exit', '-F', 'arch=b64', '-S', 'kill,exit_group', '-k', 'pt_ebpf'];

let ext: StandInControl | null = null;

async function rowsFor(pid: number, want: (rows: Record<string, string>[]) => boolean) {
  return until(
    async () => {
      const rows = await (ext as StandInControl).generate('process_terminations', [
        { name: 'pid', op: 2, expr: String(pid) },
      ]);
      const mine = rows.filter((r) => r.pid === String(pid));
      return want(mine) ? mine : null;
    },
    10_000,
    `rows for pid ${pid}`,
  );
}

describe.skipIf(skip)(
  'ebpf source through the osqueryd stand-in (needs root, bpftrace, BTF)',
  () => {
    beforeAll(async () => {
      const hadAuditd = auditdPids().length > 0;
      await stopAuditd();
      try {
        ext = await launchExtension(['--source', 'auto'], { timeout: 40 });
        await ext.registered();
        await waitForSource(ext, 'ebpf', 40_000);
      } finally {
        if (hadAuditd) await ensureAuditd();
      }
    }, 60_000);

    afterAll(async () => {
      await ext?.stop();
      await ensureAuditd();
    });

    it('auto picked ebpf while auditd was stopped', () => {
      const line = (ext?.stderr() ?? '').split('\n').find((l) => l.includes('auto chose a source'));
      expect(line).toContain('"source":"ebpf"');
    });

    it('a sleep killed by /bin/kill -9: a signal row with the actor and an exit row', async () => {
      const { sleep, kill } = await killSleepWithKill();
      const rows = await rowsFor(sleep, (r) => r.length >= 2);
      expect(rows.find((r) => r.kind === 'signal')).toMatchObject({
        signal: '9',
        signal_name: 'SIGKILL',
        actor_name: 'kill',
        actor_pid: String(kill),
        source: 'ebpf',
      });
      const exit = rows.find((r) => r.kind === 'exit');
      expect(exit).toMatchObject({ name: 'sleep', signal: '9', actor_pid: String(kill) });
      // A NULL column is left out of the row (or sent empty).
      expect(exit?.exit_code ?? '').toBe('');
    });

    it("sh -c 'exit 3' exits with code 3", async () => {
      const pid = shExit(3);
      const [row] = await rowsFor(pid, (r) => r.length >= 1);
      expect(row).toMatchObject({ kind: 'exit', exit_code: '3', name: 'sh' });
      expect(row?.signal ?? '').toBe('');
    });

    it('a SIGSEGV death is a crash', async () => {
      const pid = segfault();
      const [row] = await rowsFor(pid, (r) => r.length >= 1);
      expect(row).toMatchObject({ kind: 'crash', signal: '11', signal_name: 'SIGSEGV' });
    });

    it('sees the SIGKILL death that the audit log has no exit record for', async () => {
      await ensureAuditd();
      const from = statSync(AUDIT_LOG).size;
      expect(spawnSync('auditctl', ['-a', ...RULE]).status).toBe(0);
      let victim: { sleep: number; kill: number };
      try {
        victim = await killSleepWithKill();
        await rowsFor(victim.sleep, (r) => r.some((x) => x.kind === 'exit'));
      } finally {
        spawnSync('auditctl', ['-d', ...RULE]);
      }
      // auditd writes asynchronously: wait for the kill record, then replay what was written.
      const killed = `opid=${victim.sleep} `;
      await until(
        () => readFrom(AUDIT_LOG, from).some((l) => l.includes(killed)),
        10_000,
        'audit.log',
      );
      const audit = new AuditPipeline({ source: 'replay' });
      const auditRows = [
        ...readFrom(AUDIT_LOG, from).flatMap((l) => audit.push(l)),
        ...audit.flush(true),
      ];
      const forSleep = auditRows.filter((r) => r.pid === victim.sleep);
      expect(forSleep.some((r) => r.kind === 'signal' && r.actor_pid === victim.kill)).toBe(true);
      expect(forSleep.some((r) => r.kind === 'exit' || r.kind === 'crash')).toBe(false);
      const ebpf = await rowsFor(victim.sleep, (r) => r.length >= 2);
      expect(ebpf.find((r) => r.kind === 'exit')).toMatchObject({ signal: '9' });
    });
  },
);

function readFrom(file: string, offset: number): string[] {
  const size = statSync(file).size;
  if (size <= offset) return [];
  const fd = openSync(file, 'r');
  try {
    const buf = Buffer.alloc(size - offset);
    readSync(fd, buf, 0, buf.length, offset);
    return buf
      .toString('utf8')
      .split('\n')
      .filter((l) => l !== '');
  } finally {
    closeSync(fd);
  }
}
