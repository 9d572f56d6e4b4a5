import { describe, expect, it } from 'vitest';
import {
  checkAuditLog,
  checkAuditRules,
  checkAuditStatus,
  parseAuditStatus,
  ruleCoverage,
} from '../../src/doctor/audit';
import { auditStatusText, fakeHost, ok } from './fake-host';

describe('parseAuditStatus', () => {
  it('reads enabled, pid, lost and backlog_limit', () => {
    expect(parseAuditStatus(auditStatusText(1, 812, 3))).toEqual({
      enabled: 1,
      pid: 812,
      lost: 3,
      backlogLimit: 8192,
    });
  });

  it('leaves absent fields null', () => {
    expect(parseAuditStatus('garbage\n')).toEqual({
      enabled: null,
      pid: null,
      lost: null,
      backlogLimit: null,
    });
  });
});

describe('checkAuditStatus', () => {
  const withStatus = (enabled: number, pid: number, lost: number, comm?: string) =>
    fakeHost({
      commands: { 'auditctl -s': ok(auditStatusText(enabled, pid, lost)) },
      files: comm ? { [`/proc/${pid}/comm`]: `${comm}\n` } : {},
    });

  it.each([
    ['auditd running', 1, 812, 0, 'auditd', ['ok', 'ok', 'ok']],
    ['audit disabled, no daemon', 0, 0, 0, undefined, ['fail', 'fail', 'ok']],
    ['locked audit', 2, 812, 0, 'auditd', ['warn', 'ok', 'ok']],
    ['osqueryd owns audit', 1, 4242, 0, 'osqueryd', ['ok', 'warn', 'ok']],
    ['lost records', 1, 812, 17, 'auditd', ['ok', 'ok', 'warn']],
  ] as const)('%s', async (_name, enabled, pid, lost, comm, statuses) => {
    const findings = await checkAuditStatus(withStatus(enabled, pid, lost, comm));
    expect(findings.map((f) => f.check)).toEqual(['audit.enabled', 'audit.daemon', 'audit.lost']);
    expect(findings.map((f) => f.status)).toEqual(statuses);
  });

  it('suggests --source ebpf when osqueryd is the audit daemon', async () => {
    const findings = await checkAuditStatus(withStatus(1, 4242, 0, 'osqueryd'));
    expect(findings[1]?.detail).toContain('osqueryd (pid 4242)');
    expect(findings[1]?.fix).toContain('--source ebpf');
  });

  it('fails with an install hint when auditctl is missing', async () => {
    const [finding] = await checkAuditStatus(fakeHost({}));
    expect(finding?.status).toBe('fail');
    expect(finding?.fix).toContain('apt-get install auditd');
  });
});

// Listing lines as `auditctl -l` prints them: syscalls merged and in syscall-number order.
const B64_ALL =
  '-a always,exit -F arch=b64 -S kill,exit,rt_sigqueueinfo,tkill,exit_group,tgkill,rt_tgsigqueueinfo,pidfd_send_signal -F key=process_terminations';
const B32_NO_PIDFD =
  '-a always,exit -F arch=b32 -S exit,kill,rt_sigqueueinfo,tkill,exit_group,tgkill,rt_tgsigqueueinfo -F key=x';

describe('ruleCoverage', () => {
  it('collects syscalls per arch and ignores other lists', () => {
    const cover = ruleCoverage(`${B64_ALL}\n-w /etc/passwd -p wa -k identity\n`, 'b64');
    expect([...(cover.get('b64') ?? [])].sort()).toEqual([
      'exit',
      'exit_group',
      'kill',
      'pidfd_send_signal',
      'rt_sigqueueinfo',
      'rt_tgsigqueueinfo',
      'tgkill',
      'tkill',
    ]);
    expect(cover.has('b32')).toBe(false);
  });

  it('counts a rule without arch for the native arch', () => {
    const cover = ruleCoverage('-a always,exit -S kill -F key=k', 'b64');
    expect([...(cover.get('b64') ?? [])]).toEqual(['kill']);
  });
});

describe('checkAuditRules', () => {
  const host = (listing: string, machine = 'x86_64') =>
    fakeHost({ commands: { 'auditctl -l': ok(listing) }, machine });

  it('passes when both arches are covered on x86_64', async () => {
    const b32 = B64_ALL.replace('arch=b64', 'arch=b32');
    const [f] = await checkAuditRules(host(`${B64_ALL}\n${b32}\n`));
    expect(f?.status).toBe('ok');
  });

  it('names the missing syscall and arch', async () => {
    const [f] = await checkAuditRules(host(`${B64_ALL}\n${B32_NO_PIDFD}\n`));
    expect(f?.status).toBe('fail');
    expect(f?.detail).toBe('no audit rule for b32: pidfd_send_signal');
    expect(f?.fix).toContain('process_terminations.ext rules >');
  });

  it('fails on "No rules"', async () => {
    const [f] = await checkAuditRules(host('No rules\n'));
    expect(f?.status).toBe('fail');
  });

  it('needs only b64 on a 64-bit machine without a 32-bit table (riscv64)', async () => {
    const [f] = await checkAuditRules(host(`${B64_ALL}\n`, 'riscv64'));
    expect(f?.status).toBe('ok');
  });
});

describe('checkAuditLog', () => {
  const log = '/var/log/audit/audit.log';
  it.each([
    ['missing', {}, [], 'fail'],
    ['unreadable', { [log]: { size: 10 } }, [log], 'fail'],
    ['empty', { [log]: { size: 0 } }, [], 'warn'],
    ['readable', { [log]: { size: 10 } }, [], 'ok'],
  ] as const)('%s', async (_n, stats, unreadable, status) => {
    const [f] = await checkAuditLog(fakeHost({ stats, unreadable: [...unreadable] }), log);
    expect(f?.status).toBe(status);
  });
});
