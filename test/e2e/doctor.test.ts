import { execFileSync, spawnSync } from 'node:child_process';
import {
  chmodSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Finding } from '../../src/doctor/finding';

// `doctor` against this machine's real auditd, with our own rules (key pt_packaging) added and
// removed exactly, and auditd stopped for a moment (always restarted). Needs root, auditctl
// and `npm run build`.
const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'build/src/cli/main.js');
const isRoot = process.getuid?.() === 0;
const hasAuditctl = spawnSync('auditctl', ['-s']).status === 0;
const skip = !isRoot || !hasAuditctl;
const SKIP_REASON = 'needs root and auditctl';

const SYSCALLS =
  'exit,exit_group,kill,tkill,tgkill,rt_sigqueueinfo,rt_tgsigqueueinfo,pidfd_send_signal';
const OUR_RULES = ['b64', 'b32'].map((a) => [
  'always,exit',
  '-F',
  `arch=${a}`,
  '-S',
  SYSCALLS,
  '-k',
  'pt_packaging',
]);

let work: string;
let ext: string;
let loadFile: string;

function auditdPid(): number {
  const m = /^pid (\d+)/m.exec(execFileSync('auditctl', ['-s'], { encoding: 'utf8' }));
  return Number(m?.[1] ?? 0);
}

async function waitFor(cond: () => boolean, ms = 5000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('timed out waiting for auditd state');
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function startAuditd(): Promise<void> {
  if (spawnSync('pgrep', ['-x', 'auditd']).status !== 0) execFileSync('auditd');
  await waitFor(() => auditdPid() !== 0);
}

function doctor(extra: string[] = []): {
  code: number | null;
  ok: boolean;
  byCheck: Map<string, Finding>;
} {
  const args = [CLI, 'doctor', '--json', '--ext', ext, '--extensions-load', loadFile, ...extra];
  const res = spawnSync(process.execPath, args, { encoding: 'utf8' });
  const report = JSON.parse(res.stdout) as { ok: boolean; findings: Finding[] };
  return {
    code: res.status,
    ok: report.ok,
    byCheck: new Map(report.findings.map((f) => [f.check, f])),
  };
}

/** Whether rules other than ours already cover every syscall (then "without rules" cannot be seen). */
function othersCoverAll(): boolean {
  const listing = execFileSync('auditctl', ['-l'], { encoding: 'utf8' });
  return ['b64', 'b32'].every((a) =>
    SYSCALLS.split(',').every((s) =>
      listing
        .split('\n')
        .some((l) => l.includes(`arch=${a}`) && new RegExp(`[ ,]${s}(,| |$)`).test(l)),
    ),
  );
}

beforeAll(async () => {
  if (skip) return;
  expect(existsSync(CLI), 'run `npm run build` before the e2e tests').toBe(true);
  await startAuditd();
  // An extension laid out as install.sh does, in a private tree osqueryd would accept.
  work = mkdtempSync(path.join(os.tmpdir(), 'pt-doctor-'));
  const dir = path.join(work, 'usr/local/lib/osquery/extensions');
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  ext = path.join(dir, 'process_terminations.ext');
  copyFileSync('/bin/true', ext);
  chmodSync(ext, 0o755);
  loadFile = path.join(work, 'extensions.load');
  writeFileSync(loadFile, `${ext}\n`);
});

afterAll(async () => {
  if (skip) return;
  for (const rule of OUR_RULES) spawnSync('auditctl', ['-d', ...rule]);
  await startAuditd();
  rmSync(work, { recursive: true, force: true });
});

describe.skipIf(skip)('doctor on this host', () => {
  it('finds auditd, the rules, the log and a safe extension', () => {
    for (const rule of OUR_RULES) execFileSync('auditctl', ['-a', ...rule]);
    const r = doctor();
    expect(r.byCheck.get('audit.enabled')?.status).toBe('ok');
    expect(r.byCheck.get('audit.daemon')?.detail).toBe(
      `auditd (pid ${auditdPid()}) receives audit records`,
    );
    expect(r.byCheck.get('audit.rules')?.status).toBe('ok');
    expect(r.byCheck.get('audit.log')?.status).toBe('ok');
    expect(r.byCheck.get('extension.permissions')?.status).toBe('ok');
    expect(r.byCheck.get('extension.autoload')?.status).toBe('ok');
    for (const rule of OUR_RULES) execFileSync('auditctl', ['-d', ...rule]);
  });

  it('fails and exits 1 when the extension is writable by others', () => {
    chmodSync(ext, 0o757);
    try {
      const r = doctor();
      expect(r.byCheck.get('extension.permissions')?.status).toBe('fail');
      expect(r.byCheck.get('extension.permissions')?.fix).toBe(`chmod o-w ${ext}`);
      expect(r.code).toBe(1);
    } finally {
      chmodSync(ext, 0o755);
    }
  });

  it.skipIf(othersCoverAll())('fails without rules and gives the command that adds them', () => {
    const r = doctor(['--source', 'audit_log']);
    expect(r.byCheck.get('audit.rules')?.status).toBe('fail');
    expect(r.byCheck.get('audit.rules')?.fix).toContain('node build/src/cli/main.js rules >');
    expect(r.code).toBe(1);
    expect(r.ok).toBe(false);
  });

  it('fails while auditd is stopped, and auditd comes back', async () => {
    let r: ReturnType<typeof doctor>;
    try {
      execFileSync('sh', ['-c', 'kill $(pidof auditd)']);
      await waitFor(() => auditdPid() === 0 && spawnSync('pgrep', ['-x', 'auditd']).status !== 0);
      r = doctor(['--source', 'audit_log']);
    } finally {
      await startAuditd();
    }
    expect(r.byCheck.get('audit.daemon')?.status).toBe('fail');
    expect(r.byCheck.get('audit.daemon')?.fix).toContain('auditd');
    expect(r.code).toBe(1);
    expect(auditdPid()).toBeGreaterThan(0);
  });

  it('checks only what the source needs: no audit checks with --source ebpf', () => {
    const r = doctor(['--source', 'ebpf']);
    expect([...r.byCheck.keys()].filter((c) => c.startsWith('audit.'))).toEqual([]);
    expect(r.byCheck.has('ebpf.bpftrace')).toBe(true);
  });
});

it.skipIf(!skip)(`doctor e2e skipped: ${SKIP_REASON}`, () => undefined);
