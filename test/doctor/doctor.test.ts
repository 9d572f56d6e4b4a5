import { describe, expect, it } from 'vitest';
import { DOCTOR_DEFAULTS, formatFindings, passed, runDoctor } from '../../src/doctor/doctor';
import type { Finding } from '../../src/doctor/finding';
import { auditStatusText, fakeHost, ok } from './fake-host';

const RULES = ['b64', 'b32']
  .map(
    (a) =>
      `-a always,exit -F arch=${a} -S exit,kill,rt_sigqueueinfo,tkill,exit_group,tgkill,rt_tgsigqueueinfo,pidfd_send_signal -F key=process_terminations`,
  )
  .join('\n');

const passing = (check: string) => async (): Promise<Finding[]> => [
  { check, status: 'ok', detail: 'fine' },
];
const failing = (check: string) => async (): Promise<Finding[]> => [
  { check, status: 'fail', detail: 'broken' },
];
const CHECKS = { audisp: passing('audisp.socket'), ebpf: passing('ebpf.bpftrace') };

/** A host where everything is in order. */
function healthy(overrides: { status?: string; rules?: string } = {}) {
  return fakeHost({
    commands: {
      'auditctl -s': ok(overrides.status ?? auditStatusText(1, 812, 0)),
      'auditctl -l': ok(overrides.rules ?? RULES),
    },
    files: {
      '/proc/812/comm': 'auditd\n',
      [DOCTOR_DEFAULTS.loadFile]: `${DOCTOR_DEFAULTS.ext}\n`,
    },
    stats: {
      [DOCTOR_DEFAULTS.auditLog]: { size: 4096 },
      [DOCTOR_DEFAULTS.ext]: { mode: 0o100755 },
      '/usr/local/lib/osquery/extensions': { mode: 0o040755, isDirectory: true },
      [DOCTOR_DEFAULTS.socket]: { mode: 0o140755 },
    },
  });
}

describe('runDoctor', () => {
  it('reports every check ok on a healthy host, in fixing order', async () => {
    const findings = await runDoctor(healthy(), DOCTOR_DEFAULTS);
    expect(findings.map((f) => `${f.check}:${f.status}`)).toEqual([
      'audit.enabled:ok',
      'audit.daemon:ok',
      'audit.lost:ok',
      'audit.rules:ok',
      'audit.log:ok',
      'extension.permissions:ok',
      'extension.autoload:ok',
      'osquery.socket:ok',
    ]);
    expect(passed(findings)).toBe(true);
  });

  it('fails without rules when the source reads audit', async () => {
    const findings = await runDoctor(healthy({ rules: 'No rules' }), DOCTOR_DEFAULTS);
    expect(passed(findings)).toBe(false);
  });

  it('checks only eBPF (never auditctl) with --source ebpf', async () => {
    const host = healthy({ rules: 'No rules' });
    const findings = await runDoctor(host, { ...DOCTOR_DEFAULTS, source: 'ebpf' }, CHECKS);
    expect(findings.map((f) => f.check)).toEqual([
      'ebpf.bpftrace',
      'extension.permissions',
      'extension.autoload',
      'osquery.socket',
    ]);
    expect(host.calls).toEqual([]);
  });

  it('checks status, rules and the log, not the plugin, with --source audit_log', async () => {
    const options = { ...DOCTOR_DEFAULTS, source: 'audit_log' };
    const findings = await runDoctor(healthy(), options, CHECKS);
    const checks = findings.map((f) => f.check);
    expect(checks).toContain('audit.log');
    expect(checks.some((c) => c.startsWith('audisp.') || c.startsWith('ebpf.'))).toBe(false);
  });

  it('checks status, rules and the plugin, not the log, with --source audisp', async () => {
    const options = { ...DOCTOR_DEFAULTS, source: 'audisp' };
    const checks = (await runDoctor(healthy(), options, CHECKS)).map((f) => f.check);
    expect(checks).toContain('audit.rules');
    expect(checks).toContain('audisp.socket');
    expect(checks).not.toContain('audit.log');
    expect(checks).not.toContain('ebpf.bpftrace');
  });

  it('auto: audit problems only warn when eBPF is usable', async () => {
    const findings = await runDoctor(healthy({ rules: 'No rules' }), DOCTOR_DEFAULTS, CHECKS);
    expect(findings.find((f) => f.check === 'audit.rules')?.status).toBe('warn');
    expect(passed(findings)).toBe(true);
  });

  it('auto: fails when no source is usable', async () => {
    const broken = { audisp: CHECKS.audisp, ebpf: failing('ebpf.bpftrace') };
    const findings = await runDoctor(healthy({ rules: 'No rules' }), DOCTOR_DEFAULTS, broken);
    expect(findings.find((f) => f.check === 'audit.rules')?.status).toBe('fail');
    expect(findings.find((f) => f.check === 'ebpf.bpftrace')?.status).toBe('fail');
    expect(passed(findings)).toBe(false);
  });

  it('auto: eBPF failures only warn when the audit log is usable', async () => {
    const checks = { audisp: failing('audisp.socket'), ebpf: failing('ebpf.bpftrace') };
    const findings = await runDoctor(healthy(), DOCTOR_DEFAULTS, checks);
    expect(findings.find((f) => f.check === 'ebpf.bpftrace')?.status).toBe('warn');
    expect(passed(findings)).toBe(true);
  });

  it('from a clone without --ext, a missing installed .ext warns and says how to check one', async () => {
    const host = fakeHost({ commands: { 'auditctl -s': ok(auditStatusText(1, 1, 0)) } });
    const options = { ...DOCTOR_DEFAULTS, source: 'windows', packaged: false };
    const [f] = await runDoctor(host, options);
    expect(f?.check).toBe('extension.permissions');
    expect(f?.status).toBe('warn');
    expect(f?.fix).toContain('--ext dist/process_terminations.ext');
    const given = await runDoctor(host, { ...options, extGiven: true });
    expect(given[0]?.status).toBe('fail');
  });

  it('gives the rules command the way this program is run', async () => {
    const options = { ...DOCTOR_DEFAULTS, source: 'audit_log', self: 'node build/src/cli/main.js' };
    const findings = await runDoctor(healthy({ rules: 'No rules' }), options);
    expect(findings.find((f) => f.check === 'audit.rules')?.fix).toMatch(
      /^node build\/src\/cli\/main\.js rules > /,
    );
  });
});

describe('formatFindings', () => {
  it('prints status, check, detail, the fix of non-ok findings, and a count', () => {
    const text = formatFindings([
      { check: 'a', status: 'ok', detail: 'fine', fix: 'never shown' },
      { check: 'bb', status: 'fail', detail: 'broken', fix: 'repair it' },
    ]);
    expect(text).toBe(
      [
        '[ok]   a   fine',
        '[fail] bb  broken',
        '           fix: repair it',
        '1 failed, 0 warnings, 1 ok',
        '',
      ].join('\n'),
    );
  });
});
