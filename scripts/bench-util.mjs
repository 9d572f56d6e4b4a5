// Small helpers shared by the benchmark scripts: timing a command, statistics, the machine.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg, release, tmpdir } from 'node:os';
import { performance } from 'node:perf_hooks';
import { setTimeout } from 'node:timers';

/** Median of a list of numbers (mean of the middle two for an even count); NaN when empty. */
export function median(xs) {
  return percentile(xs, 50);
}

/** Linear-interpolated percentile `p` (0-100) of a list; NaN when empty. */
export function percentile(xs, p) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const pos = ((s.length - 1) * p) / 100;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  return s[lo] + (s[hi] - s[lo]) * (pos - lo);
}

let timeFiles = 0;

/**
 * Runs `cmd args` under /usr/bin/time with stdout to /dev/null (or the `stdout` file). Resolves
 * with wall ms, CPU ms (user+sys, which a loaded machine inflates less than wall), max RSS MiB,
 * exit code and the last 2,000 characters of stderr.
 */
export function timeCommand(cmd, args, { stdout = '/dev/null' } = {}) {
  const stats = join(tmpdir(), `pt-bench-time-${process.pid}-${timeFiles++}`);
  return new Promise((resolve, reject) => {
    const fd = openSync(stdout, 'w');
    const t0 = performance.now();
    const timeArgs = ['-f', '%e %U %S %M', '-o', stats, cmd, ...args];
    const child = spawn('/usr/bin/time', timeArgs, { stdio: ['ignore', fd, 'pipe'] });
    let err = '';
    child.stderr.on('data', (d) => (err = (err + d).slice(-2000)));
    child.on('error', (e) => {
      closeSync(fd);
      reject(new Error(`cannot run /usr/bin/time (apt-get install time): ${e.message}`));
    });
    child.on('close', (code) => {
      closeSync(fd);
      const [, user, sys, rssKb] = readFileSync(stats, 'utf8').trim().split('\n').at(-1).split(' ');
      rmSync(stats, { force: true });
      const cpu = (Number(user) + Number(sys)) * 1000;
      resolve({
        ms: performance.now() - t0,
        cpuMs: cpu,
        rssMiB: Number(rssKb) / 1024,
        code,
        stderr: err,
      });
    });
  });
}

/** Runs a command and returns its trimmed stdout, or '' when it fails. */
export function output(cmd, args) {
  try {
    return execFileSync(cmd, args, {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    }).trim();
  } catch {
    return '';
  }
}

/** What the numbers were measured on. */
export function machine() {
  return {
    nproc: cpus().length,
    cpu: cpus()[0]?.model ?? 'unknown',
    kernel: release(),
    node: process.version,
    // Other work on the machine skews every number: the 1-minute load when the run started.
    load1: Number(loadavg()[0].toFixed(2)),
    ausearch: output('dpkg-query', ['-W', '-f=${Version}', 'auditd']) || 'not installed',
  };
}

/** The checkout's short commit, with `+dirty` when the work tree has changes. */
export function gitRevision() {
  const sha = output('git', ['rev-parse', '--short', 'HEAD']) || 'unknown';
  const dirty = output('git', ['status', '--porcelain', '--untracked-files=no']) !== '';
  return dirty ? `${sha}+dirty` : sha;
}

let clockTicks;

/** utime+stime (seconds) of a process from /proc/<pid>/stat, or null once it is gone. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the parenthesised comm, which may itself hold spaces; 14/15 are utime/stime.
    const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(rest[11]) + Number(rest[12]);
    clockTicks ??= Number(output('getconf', ['CLK_TCK']) || 100);
    return ticks / clockTicks;
  } catch {
    return null;
  }
}

/** A `Vm*` line of /proc/<pid>/status in MiB (e.g. VmHWM), or null. */
export function vmMiB(pid, key) {
  const path = `/proc/${pid}/status`;
  if (!existsSync(path)) return null;
  const m = new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(readFileSync(path, 'utf8'));
  return m ? Number(m[1]) / 1024 : null;
}

/** Resolves after `ms` milliseconds. */
export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
