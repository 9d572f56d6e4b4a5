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
  /** The source the extension will use: doctor checks what it needs (all of them for `auto`). */
  readonly source: string;
  /** --ext was given. Without it, a missing installed .ext only warns when run from a clone. */
  readonly extGiven?: boolean;
  /** Running as the packaged .ext rather than from a clone. */
  readonly packaged?: boolean;
  /** How the user runs this program, for the commands in fixes (see cli/self.ts). */
  readonly self?: string;
}

export const DOCTOR_DEFAULTS: DoctorOptions = {
  socket: '/var/osquery/osquery.em',
  ext: '/usr/local/lib/osquery/extensions/process_terminations.ext',
  loadFile: '/etc/osquery/extensions.load',
  auditLog: '/var/log/audit/audit.log',
  source: 'auto',
};

/** The checks of the sources that need more than the audit basics; the CLI passes real ones. */
export interface SourceChecks {
  readonly audisp?: Check;
  readonly ebpf?: Check;
}

type SourceCheckName = 'status' | 'rules' | 'log' | 'audisp' | 'ebpf';

/** What each source needs, in the order a reader fixes things in. */
const NEEDS: Record<string, readonly SourceCheckName[]> = {
  audit_log: ['status', 'rules', 'log'],
  audisp: ['status', 'rules', 'audisp'],
  ebpf: ['ebpf'],
};
const AUTO_ORDER: readonly SourceCheckName[] = ['status', 'rules', 'log', 'audisp', 'ebpf'];
const AUTO_SOURCES = ['audit_log', 'audisp', 'ebpf'];

/**
 * Runs the checks the chosen source needs (audit status, rules and log for audit_log; status,
 * rules and the plugin socket for audisp; bpftrace, BTF and tracefs for ebpf), then the
 * extension's own (permissions, autoload, socket). With `auto` every source is checked, and
 * when one of them passes, the others' failures become warnings: auto would pick that one.
 * A source whose check is not supplied counts as unusable. Checks run one after another: they
 * are quick and their order is the order a reader fixes things in.
 */
export async function runDoctor(
  host: Host,
  options: DoctorOptions,
  sources: SourceChecks = {},
): Promise<Finding[]> {
  const self = options.self ?? 'process_terminations.ext';
  const all: Record<SourceCheckName, Check | undefined> = {
    status: () => checkAuditStatus(host),
    rules: () => checkAuditRules(host, self),
    log: () => checkAuditLog(host, options.auditLog),
    audisp: sources.audisp,
    ebpf: sources.ebpf,
  };
  const auto = options.source === 'auto';
  const names = auto ? AUTO_ORDER : (NEEDS[options.source] ?? []);
  const byName = new Map<SourceCheckName, Finding[] | null>();
  for (const name of names) {
    const check = all[name];
    byName.set(name, check ? await check() : null);
  }
  const usable = (source: string) =>
    (NEEDS[source] ?? []).every((n) => byName.get(n)?.every((f) => f.status !== 'fail'));
  const soften = auto && AUTO_SOURCES.some(usable);
  const findings = names.flatMap((n) => byName.get(n) ?? []).map((f) => (soften ? softened(f) : f));
  const fromSource = !options.extGiven && !options.packaged;
  findings.push(...(await checkExtensionPermissions(host, options.ext, fromSource)));
  findings.push(...(await checkAutoload(host, options.loadFile, options.ext)));
  findings.push(...(await checkSocket(host, options.socket)));
  return findings;
}

/** A failed check does not block a source that does not need what it checks. */
function softened(f: Finding): Finding {
  return f.status === 'fail' ? { ...f, status: 'warn' } : f;
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
