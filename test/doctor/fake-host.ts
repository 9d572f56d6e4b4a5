import type { FileStat, Host, RunResult } from '../../src/doctor/host';

/** What a FakeHost answers; anything not listed is missing (null stat, command not found). */
export interface FakeHostSpec {
  commands?: Record<string, RunResult>;
  files?: Record<string, string>;
  stats?: Record<string, Partial<FileStat>>;
  unreadable?: string[];
  uid?: number;
  machine?: string;
}

/** A Host test double: commands keyed by "cmd arg1 arg2", files and stats keyed by path. */
export function fakeHost(spec: FakeHostSpec): Host & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    run: async (command, args) => {
      const key = [command, ...args].join(' ');
      calls.push(key);
      return spec.commands?.[key] ?? { code: null, stdout: '', stderr: `${command}: not found` };
    },
    stat: async (path) => {
      const s = spec.stats?.[path];
      if (!s) return null;
      return { mode: 0o100644, uid: 0, size: 0, isDirectory: false, isFile: true, ...s };
    },
    readFile: async (path) => spec.files?.[path] ?? null,
    canRead: async (path) => !(spec.unreadable ?? []).includes(path),
    uid: () => spec.uid ?? 0,
    machine: () => spec.machine ?? 'x86_64',
  };
}

/** `auditctl -s` as auditctl 3.0 prints it, with the given values. */
export function auditStatusText(enabled: number, pid: number, lost: number): string {
  return [
    `enabled ${enabled}`,
    'failure 1',
    `pid ${pid}`,
    'rate_limit 0',
    'backlog_limit 8192',
    `lost ${lost}`,
    'backlog 0',
    'backlog_wait_time 60000',
    'backlog_wait_time_actual 0',
    'loginuid_immutable 0 unlocked',
  ].join('\n');
}

export const ok = (stdout: string): RunResult => ({ code: 0, stdout, stderr: '' });
