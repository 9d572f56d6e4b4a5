// Real auditd for the live benchmarks: starts it when absent, adds the termination rules under
// a key of our own and deletes exactly those rules afterwards (others test concurrently).
import { execFileSync, spawn } from 'node:child_process';
import { output, sleep } from './bench-util.mjs';

const KEY = 'pt_bench';
const RULES = [
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'exit,exit_group', '-k', KEY],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'kill,tkill,tgkill,rt_sigqueueinfo', '-k', KEY],
  ['-a', 'always,exit', '-F', 'arch=b64', '-S', 'rt_tgsigqueueinfo,pidfd_send_signal', '-k', KEY],
];

/** Why live benchmarks cannot run here, or null when they can. */
export function liveUnavailable() {
  if (process.getuid?.() !== 0) return 'needs root (auditctl)';
  if (!output('sh', ['-c', 'command -v auditctl']))
    return 'auditctl not installed (apt-get install auditd)';
  return null;
}

/** Starts auditd when no auditd process runs; resolves once `auditctl -s` shows a pid. */
export async function ensureAuditd() {
  if (output('pgrep', ['-x', 'auditd']) === '') execFileSync('auditd');
  for (let i = 0; i < 50; i++) {
    if (/^pid [1-9]/m.test(output('auditctl', ['-s']))) return;
    await sleep(100);
  }
  throw new Error('auditd did not start: see `journalctl -t auditd` or run `auditd -f`');
}

/** The kernel's audit `lost` counter (events dropped since boot). */
export function kernelLost() {
  const m = /^lost (\d+)/m.exec(output('auditctl', ['-s']));
  return m ? Number(m[1]) : null;
}

/** Runs `fn` with the termination rules loaded; always deletes them again. */
export async function withRules(fn) {
  await ensureAuditd();
  const added = [];
  try {
    for (const r of RULES) {
      deleteRule(r, true); // left over by an interrupted run: the add would fail with EEXIST
      execFileSync('auditctl', r, { stdio: ['ignore', 'ignore', 'pipe'] });
      added.push(r);
    }
    return await fn();
  } finally {
    for (const r of added) deleteRule(r, false);
  }
}

function deleteRule(rule, quiet) {
  try {
    execFileSync('auditctl', ['-d', ...rule.slice(1)], { stdio: 'ignore' });
  } catch {
    if (!quiet)
      process.stderr.write(`bench: could not run auditctl -d ${rule.slice(1).join(' ')}\n`);
  }
}

/** Spawns a fresh `sleep` (fresh: audit rules apply to it) and resolves once it runs. */
export function freshSleeper() {
  return new Promise((resolve, reject) => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('spawn', () => resolve(child));
  });
}
