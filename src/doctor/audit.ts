import type { AuditArch } from '../audit-rules/rules';
import { RULE_SYSCALLS, archesFor } from '../audit-rules/rules';
import type { Finding } from './finding';
import type { Host } from './host';

/** The fields of `auditctl -s` the checks use; absent fields are null. */
export interface AuditStatus {
  readonly enabled: number | null;
  readonly pid: number | null;
  readonly lost: number | null;
  readonly backlogLimit: number | null;
}

/** Parses `auditctl -s` ("name value" lines, auditctl 2.x and 3.x print the same names). */
export function parseAuditStatus(text: string): AuditStatus {
  const values = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = /^\s*([a-z_]+)\s+(-?\d+)/.exec(line);
    if (m?.[1] && m[2]) values.set(m[1], Number(m[2]));
  }
  const get = (k: string) => values.get(k) ?? null;
  return {
    enabled: get('enabled'),
    pid: get('pid'),
    lost: get('lost'),
    backlogLimit: get('backlog_limit'),
  };
}

const START_AUDITD = 'start auditd: `systemctl start auditd` (or run `auditd` as root)';

/**
 * Audit status findings: audit enabled, which process receives the kernel's records
 * (auditd, osqueryd or nobody) and how many records the kernel dropped.
 */
export async function checkAuditStatus(host: Host): Promise<Finding[]> {
  const res = await host.run('auditctl', ['-s']);
  if (res.code === null) {
    const fix =
      'install the audit userspace (Debian/Ubuntu: `apt-get install auditd`), or use --source ebpf';
    return [{ check: 'audit.status', status: 'fail', detail: 'auditctl not found', fix }];
  }
  if (res.code !== 0) {
    const detail = `auditctl -s failed: ${res.stderr.trim() || `exit ${res.code}`}`;
    return [{ check: 'audit.status', status: 'fail', detail, fix: 'run doctor as root' }];
  }
  const status = parseAuditStatus(res.stdout);
  return [enabledFinding(status), await daemonFinding(host, status), lostFinding(status)];
}

function enabledFinding(s: AuditStatus): Finding {
  if (s.enabled === 1) return { check: 'audit.enabled', status: 'ok', detail: 'audit is enabled' };
  if (s.enabled === 2) {
    const detail = 'audit is enabled and locked (-e 2): rules cannot change until reboot';
    const fix = 'add the rules to /etc/audit/rules.d before the `-e 2` line and reboot';
    return { check: 'audit.enabled', status: 'warn', detail, fix };
  }
  const detail = `audit is disabled (enabled ${s.enabled ?? 'unknown'})`;
  return {
    check: 'audit.enabled',
    status: 'fail',
    detail,
    fix: `${START_AUDITD}, or \`auditctl -e 1\``,
  };
}

/** Who owns the audit netlink socket decides whether audit.log receives anything. */
async function daemonFinding(host: Host, s: AuditStatus): Promise<Finding> {
  const check = 'audit.daemon';
  if (!s.pid) {
    const detail = 'no audit daemon: the kernel sends records to the kernel log, not audit.log';
    return { check, status: 'fail', detail, fix: START_AUDITD };
  }
  const comm = ((await host.readFile(`/proc/${s.pid}/comm`)) ?? '').trim();
  if (comm === 'auditd')
    return { check, status: 'ok', detail: `auditd (pid ${s.pid}) receives audit records` };
  if (comm.startsWith('osqueryd')) {
    const detail = `osqueryd (pid ${s.pid}) is the audit daemon: auditd gets nothing and audit.log stays empty`;
    const fix =
      'run the extension with `--source ebpf`, or start osqueryd with --disable_audit=true and restart auditd';
    return { check, status: 'warn', detail, fix };
  }
  const detail = `pid ${s.pid} (${comm || 'unknown process'}) receives audit records, not auditd`;
  return {
    check,
    status: 'warn',
    detail,
    fix: 'make sure that process writes audit.log, or use --source audisp/ebpf',
  };
}

function lostFinding(s: AuditStatus): Finding {
  if (!s.lost)
    return { check: 'audit.lost', status: 'ok', detail: 'the kernel lost no audit records' };
  const detail = `the kernel lost ${s.lost} audit records since boot (backlog_limit ${s.backlogLimit ?? '?'})`;
  return {
    check: 'audit.lost',
    status: 'warn',
    detail,
    fix: 'raise the backlog: `auditctl -b 8192` (and -b 8192 in /etc/audit/rules.d)',
  };
}

/**
 * Per arch, the syscalls an `always,exit` rule in an `auditctl -l` listing covers. A rule
 * without `-F arch=` uses the native table; `-S all` covers every syscall.
 */
export function ruleCoverage(listing: string, native: AuditArch): Map<AuditArch, Set<string>> {
  const cover = new Map<AuditArch, Set<string>>();
  for (const line of listing.split('\n')) {
    if (!/^-a\s+(always,exit|exit,always)\b/.test(line.trim())) continue;
    const arch = (/-F arch=(b64|b32)\b/.exec(line)?.[1] as AuditArch | undefined) ?? native;
    const set = cover.get(arch) ?? new Set<string>();
    for (const m of line.matchAll(/-S\s+([\w,]+)/g)) {
      for (const name of (m[1] ?? '').split(',')) set.add(name);
    }
    cover.set(arch, set);
  }
  return cover;
}

/**
 * Whether the loaded rules cover every recommended syscall for every arch of this machine.
 * `self` is how the user runs this program, for the `rules` command in the fix.
 */
export async function checkAuditRules(
  host: Host,
  self = 'process_terminations.ext',
): Promise<Finding[]> {
  const res = await host.run('auditctl', ['-l']);
  if (res.code !== 0) {
    const detail = `auditctl -l failed: ${res.stderr.trim() || 'auditctl not found'}`;
    return [
      {
        check: 'audit.rules',
        status: 'fail',
        detail,
        fix: 'run doctor as root with auditctl installed',
      },
    ];
  }
  const arches = archesFor(host.machine());
  const cover = ruleCoverage(res.stdout, arches[0] ?? 'b64');
  const missing: string[] = [];
  for (const arch of arches) {
    const set = cover.get(arch) ?? new Set<string>();
    const gaps = set.has('all') ? [] : RULE_SYSCALLS.filter((s) => !set.has(s));
    if (gaps.length > 0) missing.push(`${arch}: ${gaps.join(',')}`);
  }
  if (missing.length === 0) {
    return [
      {
        check: 'audit.rules',
        status: 'ok',
        detail: `rules cover exits and signals (${arches.join(', ')})`,
      },
    ];
  }
  const fix = `${self} rules > /etc/audit/rules.d/process-terminations.rules && augenrules --load`;
  return [
    {
      check: 'audit.rules',
      status: 'fail',
      detail: `no audit rule for ${missing.join('; ')}`,
      fix,
    },
  ];
}

/** The audit log the extension tails must exist and be readable by the user osqueryd runs as. */
export async function checkAuditLog(host: Host, path: string): Promise<Finding[]> {
  const check = 'audit.log';
  const st = await host.stat(path);
  if (!st) {
    return [
      {
        check,
        status: 'fail',
        detail: `${path} does not exist`,
        fix: `${START_AUDITD}, or pass --audit-log PATH`,
      },
    ];
  }
  if (!(await host.canRead(path))) {
    return [
      {
        check,
        status: 'fail',
        detail: `${path} is not readable by this user`,
        fix: 'run osqueryd (and doctor) as root',
      },
    ];
  }
  if (st.size === 0) {
    return [
      {
        check,
        status: 'warn',
        detail: `${path} is empty`,
        fix: 'check audit.daemon above: auditd must receive records',
      },
    ];
  }
  return [{ check, status: 'ok', detail: `${path} is readable (${st.size} bytes)` }];
}
