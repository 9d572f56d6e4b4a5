import { describe, expect, it } from 'vitest';
import { checkEbpf } from '../../src/doctor/ebpf';
import { chooseSource, isLiveAuditd, type AutoProbe } from '../../src/sources/auto';
import {
  ebpfRequirements,
  requirementError,
  type PreflightHost,
} from '../../src/sources/linux/ebpf/preflight';

const ALL = [
  '/sys/kernel/btf/vmlinux',
  '/sys/kernel/tracing/events',
  '/sys/kernel/tracing/events/sched/sched_process_exec',
  '/sys/kernel/tracing/events/sched/sched_process_exit',
  '/sys/kernel/tracing/events/signal/signal_generate',
];

interface Fake extends PreflightHost {
  calls: string[][];
}

/** A host with `paths` present; `mount` adds tracefs when called; bpftrace prints `version`. */
function fake(
  paths: string[],
  opts: { uid?: number; version?: string | null; mountable?: boolean } = {},
): Fake {
  const present = new Set(paths);
  const calls: string[][] = [];
  return {
    calls,
    uid: () => opts.uid ?? 0,
    exists: async (p) => present.has(p),
    run: async (cmd, args) => {
      calls.push([cmd, ...args]);
      if (cmd === 'mount') {
        if (opts.mountable) ALL.filter((p) => p.includes('tracing')).forEach((p) => present.add(p));
        return {
          code: opts.mountable ? 0 : 32,
          output: opts.mountable ? '' : 'mount: permission denied',
        };
      }
      if (cmd === 'bpftrace') {
        const v = opts.version === undefined ? 'bpftrace v0.17.0' : opts.version;
        return v === null ? { code: null, output: '' } : { code: 0, output: v };
      }
      return { code: 0, output: '' }; // the compile-only run through `env`
    },
  };
}

describe('ebpfRequirements', () => {
  it('all met on a host like this one', async () => {
    const reqs = await ebpfRequirements(fake(ALL));
    expect(reqs.map((r) => [r.check, r.ok])).toEqual([
      ['ebpf.root', true],
      ['ebpf.bpftrace', true],
      ['ebpf.btf', true],
      ['ebpf.tracefs', true],
      ['ebpf.tracepoints', true],
    ]);
    expect(requirementError(reqs)).toBeNull();
  });

  it('names every unmet requirement and its fix', async () => {
    const host = fake([], { uid: 1000, version: null });
    const error = requirementError(await ebpfRequirements(host));
    expect(error).toContain('ebpf.root: running as uid 1000');
    expect(error).toContain('apt-get install bpftrace');
    expect(error).toContain('CONFIG_DEBUG_INFO_BTF=y');
    expect(error).toContain('mount -t tracefs nodev /sys/kernel/tracing');
  });

  it('refuses bpftrace older than 0.17', async () => {
    const reqs = await ebpfRequirements(fake(ALL, { version: 'bpftrace v0.14.1' }));
    expect(reqs[1]).toMatchObject({ ok: false, detail: 'bpftrace v0.14.1 is older than 0.17' });
  });

  it('mounts tracefs when asked and it is missing', async () => {
    const host = fake(
      ALL.filter((p) => !p.includes('tracing')),
      { mountable: true },
    );
    const reqs = await ebpfRequirements(host, { mount: true });
    expect(host.calls).toContainEqual(['mount', '-t', 'tracefs', 'nodev', '/sys/kernel/tracing']);
    expect(reqs.every((r) => r.ok)).toBe(true);
  });

  it('reports missing tracepoints by name', async () => {
    const host = fake(ALL.filter((p) => !p.endsWith('signal_generate')));
    const reqs = await ebpfRequirements(host);
    expect(reqs[4]).toMatchObject({
      ok: false,
      detail: 'kernel lacks tracepoints signal/signal_generate',
    });
  });
});

describe('checkEbpf', () => {
  it('an unmounted tracefs is only a warning: the source mounts it', async () => {
    const host = fake(ALL.filter((p) => !p.includes('tracing')));
    const findings = await checkEbpf({ host, compile: false });
    expect(findings.find((f) => f.check === 'ebpf.tracefs')?.status).toBe('warn');
    expect(host.calls.some((c) => c[0] === 'mount')).toBe(false);
  });

  it('compiles the program with --emit-elf when everything else is there', async () => {
    const host = fake(ALL);
    const findings = await checkEbpf({ host });
    expect(findings.at(-1)).toMatchObject({ check: 'ebpf.program', status: 'ok' });
    const run = host.calls.find((c) => c[0] === 'env');
    expect(run).toContain('--emit-elf');
    expect(run).toContain('BPFTRACE_STRLEN=200');
  });
});

function probe(over: Partial<AutoProbe>): AutoProbe {
  return {
    platform: 'linux',
    auditdRunning: async () => true,
    canRead: async () => true,
    isSocket: async () => true,
    ebpfRequirements: async () => [],
    ...over,
  };
}
const OPTS = { auditLog: '/var/log/audit/audit.log', audispSocket: '/var/run/audispd_events' };

describe('chooseSource', () => {
  it.each([
    ['auditd and a readable log', {}, 'audit_log'],
    ['an unreadable log but the socket', { canRead: async () => false }, 'audisp'],
    ['no auditd', { auditdRunning: async () => false }, 'ebpf'],
    ['Windows', { platform: 'win32' as const }, 'windows'],
    ['macOS', { platform: 'darwin' as const }, 'eslogger'],
  ])('with %s picks %s', async (_n, over, expected) => {
    expect((await chooseSource(OPTS, probe(over))).source).toBe(expected);
  });

  it('without any usable source, says why each was refused', async () => {
    const p = probe({
      auditdRunning: async () => false,
      ebpfRequirements: async () => [
        {
          check: 'ebpf.bpftrace',
          ok: false,
          detail: 'bpftrace not found',
          fix: 'apt-get install bpftrace',
        },
      ],
    });
    const err = chooseSource(OPTS, p);
    await expect(err).rejects.toThrow(/auditd is not running/);
    await expect(chooseSource(OPTS, p)).rejects.toThrow(
      /ebpf\.bpftrace: bpftrace not found; fix: apt-get install bpftrace/,
    );
  });
});

describe('isLiveAuditd', () => {
  it.each([
    ['2287 (auditd) S 1 2287 2287 0 -1', true],
    ['2287 (auditd) Z 1 2287 2287 0 -1', false],
    ['32 (kauditd) S 2 0 0 0 -1', false],
    ['9 (audit d) S 1 9 9 0 -1', false],
    ['', false],
  ])('%j is a live auditd: %s', (stat, live) => {
    expect(isLiveAuditd(stat)).toBe(live);
  });
});
