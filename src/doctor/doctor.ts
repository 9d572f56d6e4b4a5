import { checkAuditLog, checkAuditRules, checkAuditStatus } from './audit';
import type { Check, Finding } from './finding';
import type { Host } from './host';
import { checkAutoload, checkExtensionPermissions } from './permissions';
import { checkSocket } from './socket';

/** Where doctor looks; the defaults are where install.sh and osqueryd put things. */
export interface DoctorOptions {
  readonly socket: string;
  readonly ext: string;
  readonly loadFile: string;
  readonly auditLog: string;
  /** The source the extension will use; with `ebpf` or `eslogger`/`windows`, audit problems only warn. */
  readonly source: string;
}

export const DOCTOR_DEFAULTS: DoctorOptions = {
  socket: '/var/osquery/osquery.em',
  ext: '/usr/local/lib/osquery/extensions/process_terminations.ext',
  loadFile: '/etc/osquery/extensions.load',
  auditLog: '/var/log/audit/audit.log',
  source: 'auto',
};

const AUDIT_SOURCES = new Set(['auto', 'audit_log', 'audisp']);

/**
 * Runs every check in order (audit, extension, socket, then `extra` such as the eBPF checks)
 * and returns the findings in that order. Checks run one after another: they are quick and
 * their order is the order a reader fixes things in.
 */
export async function runDoctor(
  host: Host,
  options: DoctorOptions,
  extra: Check[] = [],
): Promise<Finding[]> {
  const audit: Check[] = [
    () => checkAuditStatus(host),
    () => checkAuditRules(host),
    () => checkAuditLog(host, options.auditLog),
  ];
  const rest: Check[] = [
    () => checkExtensionPermissions(host, options.ext),
    () => checkAutoload(host, options.loadFile, options.ext),
    () => checkSocket(host, options.socket),
    ...extra,
  ];
  const relevant = AUDIT_SOURCES.has(options.source);
  const findings: Finding[] = [];
  for (const check of audit)
    findings.push(...(await check()).map((f) => (relevant ? f : softened(f))));
  for (const check of rest) findings.push(...(await check()));
  return findings;
}

/** A failed check does not block a source that does not need what it checks. */
function softened(f: Finding): Finding {
  return f.status === 'fail' ? { ...f, status: 'warn' } : f;
}

/**
 * Wraps a check that matters only for some sources (eBPF, audisp): when `relevant` is false
 * its failures become warnings, so doctor's exit status reflects the source in use.
 */
export function onlyBlocking(relevant: boolean, check: Check): Check {
  return async () => (relevant ? check() : (await check()).map(softened));
}

/** True when nothing blocks operation: doctor exits 0. */
export function passed(findings: readonly Finding[]): boolean {
  return findings.every((f) => f.status !== 'fail');
}

/** Human-readable report: one line per finding, its fix indented below it. */
export function formatFindings(findings: readonly Finding[]): string {
  const width = Math.max(...findings.map((f) => f.check.length), 0);
  const lines: string[] = [];
  for (const f of findings) {
    lines.push(`${`[${f.status}]`.padEnd(7)}${f.check.padEnd(width + 2)}${f.detail}`);
    if (f.fix && f.status !== 'ok') lines.push(`${' '.repeat(width + 9)}fix: ${f.fix}`);
  }
  const fails = findings.filter((f) => f.status === 'fail').length;
  const warns = findings.filter((f) => f.status === 'warn').length;
  lines.push(`${fails} failed, ${warns} warnings, ${findings.length - fails - warns} ok`);
  return `${lines.join('\n')}\n`;
}
