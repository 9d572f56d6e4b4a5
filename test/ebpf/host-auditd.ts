/**
 * Helpers for the e2e tests that stop and restart this host's auditd and spawn processes to
 * watch die. Other helpers' tests use auditd too: stops are kept short and `ensureAuditd` runs
 * in every afterAll.
 */
import { spawn, spawnSync } from 'node:child_process';

/** Pids of running auditd processes (`pidof auditd`). */
export function auditdPids(): number[] {
  const r = spawnSync('pidof', ['auditd'], { encoding: 'utf8' });
  return r.stdout
    .split(/\s+/)
    .filter((s) => /^\d+$/.test(s))
    .map(Number);
}

type Maybe<T> = T | null | undefined | false;

/** Polls `get` every 100 ms until it returns something truthy; throws after `ms`. */
export async function until<T>(
  get: () => Maybe<T> | Promise<Maybe<T>>,
  ms: number,
  what: string,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await get();
    if (value) return value;
    if (Date.now() > end) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Stops auditd (SIGTERM to its pid, as `kill $(pidof auditd)`) and waits until it is gone. */
export async function stopAuditd(): Promise<void> {
  for (const pid of auditdPids()) process.kill(pid, 'SIGTERM');
  await until(() => auditdPids().length === 0, 10_000, 'auditd to exit');
}

/** Starts auditd when it is not running and waits for it to take the audit netlink. */
export async function ensureAuditd(): Promise<void> {
  if (auditdPids().length > 0) return;
  spawnSync('auditd', [], { encoding: 'utf8' });
  await until(() => auditdPids().length > 0, 10_000, 'auditd to start');
  await until(
    () => /pid\s+[1-9]/.test(spawnSync('auditctl', ['-s']).stdout.toString()),
    10_000,
    'auditd to register',
  );
}

/** Spawns `sleep 60`, kills it with `/bin/kill -9`, and returns the sleep's and kill's pids. */
export async function killSleepWithKill(): Promise<{ sleep: number; kill: number }> {
  const child = spawn('sleep', ['60'], { stdio: 'ignore' });
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise((r) => setTimeout(r, 100));
  const kill = spawnSync('/bin/kill', ['-9', String(child.pid)]);
  await exited;
  return { sleep: child.pid ?? -1, kill: kill.pid ?? -1 };
}

/** Runs `sh -c 'exit N'` and returns its pid. */
export function shExit(code: number): number {
  return spawnSync('sh', ['-c', `exit ${code}`]).pid ?? -1;
}

/** Runs a python that reads address 0 (a real SIGSEGV) and returns its pid. */
export function segfault(): number {
  const py = ['-c', 'import ctypes; ctypes.string_at(0)'];
  // cwd /tmp: a core file, if the host writes one, stays out of the repository.
  return spawnSync('/usr/bin/python3', py, { cwd: '/tmp' }).pid ?? -1;
}
