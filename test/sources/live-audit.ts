/**
 * Helpers for tests on the host's real auditd: its rules (added with a key of the test's own
 * and deleted exactly, never `auditctl -D`), and processes to end.
 */
import { spawn, spawnSync } from 'node:child_process';

export const AUDIT_LOG = '/var/log/audit/audit.log';

/** Why real auditd cannot be used here, or null when it can (started if it was not running). */
export function auditdUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root';
  if (spawnSync('which', ['auditctl']).status !== 0) return 'auditctl not installed';
  if (spawnSync('pgrep', ['-x', 'auditd']).status !== 0) {
    spawnSync('/usr/sbin/auditd');
    spawnSync('sleep', ['1']);
  }
  return spawnSync('pgrep', ['-x', 'auditd']).status === 0 ? null : 'auditd is not running';
}

/** The two termination rules, as `auditctl` arguments without -a/-d. */
export function terminationRules(key: string): string[][] {
  return [
    ['always,exit', '-F', 'arch=b64', '-S', 'exit,exit_group', '-k', key],
    [
      'always,exit',
      '-F',
      'arch=b64',
      '-S',
      'kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,pidfd_send_signal',
      '-k',
      key,
    ],
  ];
}

export function addRules(key: string): void {
  for (const r of terminationRules(key)) {
    const out = spawnSync('auditctl', ['-a', ...r], { encoding: 'utf8' });
    if (out.status !== 0) throw new Error(`auditctl -a failed: ${out.stderr}`);
  }
}

export function deleteRules(key: string): void {
  for (const r of terminationRules(key)) spawnSync('auditctl', ['-d', ...r]);
}

/** A fresh `sleep 60`, so it is audited under rules added before it started. */
export function spawnSleep(): { pid: number; done: Promise<void> } {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const done = new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid === undefined) throw new Error('cannot spawn sleep');
  return { pid: child.pid, done };
}

/** Sends `signal` to `pid` from a separate `/bin/kill` process; resolves with that process's pid. */
export async function killFrom(pid: number, signal: number): Promise<number> {
  const child = spawn('/bin/kill', [`-${signal}`, String(pid)], { stdio: 'ignore' });
  await new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid === undefined) throw new Error('cannot spawn kill');
  return child.pid;
}

/** Runs `cmd` to its end; resolves with its pid. */
export async function run(cmd: string, args: string[]): Promise<number> {
  const child = spawn(cmd, args, { stdio: 'ignore' });
  await new Promise<void>((r) => child.once('exit', () => r()));
  if (child.pid === undefined) throw new Error(`cannot spawn ${cmd}`);
  return child.pid;
}

/** Polls `query` until `found` holds for its result; resolves with the time it took, in ms. */
export async function within<T>(
  query: () => Promise<T>,
  found: (v: T) => boolean,
  ms: number,
): Promise<{ value: T; ms: number }> {
  const start = Date.now();
  for (;;) {
    const value = await query();
    if (found(value)) return { value, ms: Date.now() - start };
    if (Date.now() - start > ms) throw new Error(`not found within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
