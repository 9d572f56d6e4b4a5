import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditdPids,
  ensureAuditd,
  killSleepWithKill,
  segfault,
  shExit,
  stopAuditd,
  until,
} from '../ebpf/host-auditd';
import { launchExtension, waitForSource, type StandInControl } from '../helpers/osqueryd';

// The audisp source end to end against this host's auditd: the af_unix plugin file is backed
// up, enabled, and restored afterwards (auditd reloads it on SIGHUP); our rules (key pt_audisp)
// are added and deleted exactly; auditd is restarted once (kill + `auditd`) mid-test.
const CONF = '/etc/audit/plugins.d/af_unix.conf';
const SOCKET = '/var/run/audispd_events';
const hasAuditd = spawnSync('auditctl', ['-s']).status === 0 && existsSync(CONF);
const skip = process.getuid?.() !== 0 || !hasAuditd;
const SYSCALLS = 'kill,tkill,tgkill,exit,exit_group';
const RULE = ['always,exit', '-F', 'arch=b64', '-S', SYSCALLS, '-k', 'pt_audisp'];

let ext: StandInControl | null = null;
let original: string | null = null;

const isSocket = () => existsSync(SOCKET) && statSync(SOCKET).isSocket();

async function rowsFor(
  pid: number,
  want: (rows: Record<string, string>[]) => boolean,
  ms = 10_000,
) {
  return until(
    async () => {
      const rows = await (ext as StandInControl).generate('process_terminations', [
        { name: 'pid', op: 2, expr: String(pid) },
      ]);
      const mine = rows.filter((r) => r.pid === String(pid));
      return want(mine) ? mine : null;
    },
    ms,
    `rows for pid ${pid}`,
  );
}

async function reloadAuditd(): Promise<void> {
  for (const pid of auditdPids()) process.kill(pid, 'SIGHUP');
}

describe.skipIf(skip)('audisp source through the osqueryd stand-in (needs root, auditd)', () => {
  beforeAll(async () => {
    await ensureAuditd();
    original = readFileSync(CONF, 'utf8');
    writeFileSync(`/tmp/pt_audisp_af_unix.conf.bak`, original);
    const enabled = original
      .replace(/^active\s*=.*$/m, 'active = yes')
      .replace(/^format\s*=.*$/m, 'format = string')
      .replace(/^args\s*=.*$/m, `args = 0640 ${SOCKET}`);
    writeFileSync(CONF, enabled);
    await reloadAuditd();
    await until(isSocket, 10_000, `${SOCKET} to appear`);
    expect(spawnSync('auditctl', ['-a', ...RULE]).status).toBe(0);
    ext = await launchExtension(['--source', 'audisp', '--audisp-socket', SOCKET], { timeout: 20 });
    await ext.registered();
    await waitForSource(ext, 'audisp', 20_000);
  }, 60_000);

  afterAll(async () => {
    spawnSync('auditctl', ['-d', ...RULE]);
    await ext?.stop();
    if (original !== null) writeFileSync(CONF, original);
    await ensureAuditd();
    await reloadAuditd();
  });

  it('a sleep killed by /bin/kill -9 is a signal row with actor kill', async () => {
    const { sleep, kill } = await killSleepWithKill();
    const rows = await rowsFor(sleep, (r) => r.some((x) => x.kind === 'signal'));
    expect(rows.find((r) => r.kind === 'signal')).toMatchObject({
      signal: '9',
      actor_name: 'kill',
      actor_pid: String(kill),
      source: 'audisp',
    });
  });

  it("sh -c 'exit 7' is an exit row with code 7", async () => {
    const pid = shExit(7);
    const rows = await rowsFor(pid, (r) => r.some((x) => x.kind === 'exit'));
    expect(rows.find((r) => r.kind === 'exit')).toMatchObject({ exit_code: '7', source: 'audisp' });
  });

  it('a SIGSEGV death is a crash', async () => {
    const pid = segfault();
    const rows = await rowsFor(pid, (r) => r.some((x) => x.kind === 'crash'));
    expect(rows.find((r) => r.kind === 'crash')).toMatchObject({ signal: '11' });
  });

  it('keeps reading after auditd restarts', async () => {
    await stopAuditd();
    spawnSync('auditd');
    await until(() => auditdPids().length > 0 && isSocket(), 10_000, 'auditd and its socket');
    // The source reconnects with backoff (at most 10 s); exits keep being audited meanwhile,
    // so retry until one run lands after the reconnect.
    const row = await until(
      async () => {
        const pid = shExit(7);
        const rows = await rowsFor(pid, (r) => r.some((x) => x.kind === 'exit'), 1500).catch(
          () => null,
        );
        return rows?.find((r) => r.kind === 'exit') ?? null;
      },
      25_000,
      'an exit row after the restart',
    );
    expect(row).toMatchObject({ exit_code: '7', source: 'audisp' });
  }, 45_000);
});
