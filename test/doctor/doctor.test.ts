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

  it('only warns about audit when the source is ebpf', async () => {
    const findings = await runDoctor(healthy({ rules: 'No rules' }), {
      ...DOCTOR_DEFAULTS,
      source: 'ebpf',
    });
    expect(findings.find((f) => f.check === 'audit.rules')?.status).toBe('warn');
    expect(passed(findings)).toBe(true);
  });

  it('appends extra checks last', async () => {
    const extra = async (): Promise<Finding[]> => [
      { check: 'ebpf.bpftrace', status: 'fail', detail: 'x' },
    ];
    const findings = await runDoctor(healthy(), DOCTOR_DEFAULTS, [extra]);
    expect(findings.at(-1)?.check).toBe('ebpf.bpftrace');
    expect(passed(findings)).toBe(false);
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
