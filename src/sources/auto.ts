import { promises as fs, constants as fsConstants } from 'node:fs';
import type { ExtensionOptions, SourceName } from '../config/options';
import { ebpfRequirements, requirementError, type Requirement } from './linux/ebpf/preflight';

/** A concrete source `--source auto` settled on, and why, for the start-up log line. */
export interface AutoChoice {
  source: Exclude<SourceName, 'auto'>;
  reason: string;
}

/** What the choice asks of the host, so tests can answer with a double. Never throws. */
export interface AutoProbe {
  platform: NodeJS.Platform;
  auditdRunning(): Promise<boolean>;
  canRead(path: string): Promise<boolean>;
  isSocket(path: string): Promise<boolean>;
  ebpfRequirements(): Promise<Requirement[]>;
}

/** The real host: auditd found by its process name in /proc, like `pgrep -x auditd`. */
export const realAutoProbe: AutoProbe = {
  platform: process.platform,
  async auditdRunning() {
    const entries = await fs.readdir('/proc').catch(() => [] as string[]);
    for (const pid of entries) {
      if (!/^\d+$/.test(pid)) continue;
      const stat = await fs.readFile(`/proc/${pid}/stat`, 'utf8').catch(() => '');
      if (isLiveAuditd(stat)) return true;
    }
    return false;
  },
  async canRead(path) {
    try {
      await fs.access(path, fsConstants.R_OK);
      return true;
    } catch {
      return false;
    }
  },
  async isSocket(path) {
    const st = await fs.stat(path).catch(() => null);
    return st?.isSocket() ?? false;
  },
  // Mounting tracefs is what the ebpf source would do first anyway.
  ebpfRequirements: () => ebpfRequirements(undefined, { mount: true }),
};

/**
 * True for the /proc/PID/stat line of a live auditd: `PID (auditd) S ...`. A killed auditd
 * stays a zombie (state Z) until its parent reaps it, and a zombie serves no one.
 */
export function isLiveAuditd(stat: string): boolean {
  const close = stat.lastIndexOf(')');
  if (close < 0 || stat.slice(stat.indexOf('(') + 1, close) !== 'auditd') return false;
  const state = stat.charAt(close + 2);
  return state !== 'Z' && state !== 'X' && state !== '';
}

/**
 * Picks the best source the host offers. Windows: `windows`; macOS: `eslogger`. Linux, in
 * order: `audit_log` when auditd runs and the log is readable (the only Linux source that keeps
 * a checkpoint, and it carries login uids); `audisp` when auditd runs and its af_unix socket
 * exists; `ebpf` when bpftrace, BTF and the tracepoints are usable. Throws, listing why each
 * was refused and how to fix it, when none is.
 */
export async function chooseSource(
  options: Pick<ExtensionOptions, 'auditLog' | 'audispSocket'>,
  probe: AutoProbe = realAutoProbe,
): Promise<AutoChoice> {
  if (probe.platform === 'win32') return { source: 'windows', reason: 'running on Windows' };
  if (probe.platform === 'darwin') return { source: 'eslogger', reason: 'running on macOS' };
  const refused: string[] = [];
  const auditd = await probe.auditdRunning();
  if (auditd && (await probe.canRead(options.auditLog))) {
    return { source: 'audit_log', reason: `auditd is running and ${options.auditLog} is readable` };
  }
  refused.push(
    auditd
      ? `audit_log: ${options.auditLog} is not readable (run as root, or check log_file in auditd.conf)`
      : 'audit_log, audisp: auditd is not running (start it: `service auditd start`)',
  );
  if (auditd && (await probe.isSocket(options.audispSocket))) {
    return { source: 'audisp', reason: `auditd is running and ${options.audispSocket} exists` };
  }
  if (auditd) refused.push(`audisp: ${options.audispSocket} does not exist (af_unix plugin off)`);
  const error = requirementError(await probe.ebpfRequirements());
  if (error === null) {
    const reason = auditd
      ? 'auditd offers neither a readable log nor a socket'
      : 'auditd is not running';
    return { source: 'ebpf', reason: `${reason}; bpftrace, BTF and the tracepoints are usable` };
  }
  refused.push(error.replace('the ebpf source cannot start:', 'ebpf:'));
  throw new Error(`--source auto found no usable source:\n  ${refused.join('\n  ')}`);
}
