import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, ROOT, type StandInControl } from '../helpers/osqueryd';
import {
  addRules,
  AUDIT_LOG,
  auditdUnavailable,
  deleteRules,
  killFrom,
  run,
  spawnSleep,
  within,
} from '../sources/live-audit';

const KEY = 'pt_follow_e2e';
const skip = auditdUnavailable();
const TABLE = 'process_terminations';

describe.skipIf(skip !== null)(`audit_log source on real auditd${skip ? ` (${skip})` : ''}`, () => {
  let ext: StandInControl;
  let state: string;

  beforeAll(async () => {
    addRules(KEY);
    state = mkdtempSync(join(tmpdir(), 'pt-e2e-state-'));
    ext = await launchExtension([
      '--source',
      'audit_log',
      '--audit-log',
      AUDIT_LOG,
      '--state-dir',
      state,
      '--retention',
      '120',
    ]);
  });

  afterAll(async () => {
    deleteRules(KEY);
    await ext?.stop();
    rmSync(state, { recursive: true, force: true });
  });

  const rowsFor = (pid: number) => ext.generate(TABLE, [{ name: 'pid', op: 2, expr: String(pid) }]);

  it('registers within 1 s', async () => {
    const reg = await ext.registered();
    expect(reg.tables).toContain(TABLE);
    expect(reg.tables).toContain('process_terminations_status');
    expect(reg.ms).toBeLessThan(1000);
  });

  it('shows a SIGKILL sent by /bin/kill within 2 s, with the kill process as actor', async () => {
    const sleep = spawnSleep();
    await new Promise((r) => setTimeout(r, 100));
    const killer = await killFrom(sleep.pid, 9);
    await sleep.done;
    const { value, ms } = await within(
      () => rowsFor(sleep.pid),
      (rows) => rows.some((r) => r.kind === 'signal'),
      2000,
    );
    expect(ms).toBeLessThan(2000);
    expect(value.find((r) => r.kind === 'signal')).toMatchObject({
      signal: '9',
      signal_name: 'SIGKILL',
      pid: String(sleep.pid),
      name: 'sleep',
      actor_pid: String(killer),
      actor_name: 'kill',
      source: 'audit_log',
    });
  });

  it('shows exit status 7 of sh -c "exit 7"', async () => {
    const pid = await run('sh', ['-c', 'exit 7']);
    const { value } = await within(
      () => rowsFor(pid),
      (rows) => rows.some((r) => r.kind === 'exit'),
      2000,
    );
    expect(value.find((r) => r.kind === 'exit')).toMatchObject({
      exit_code: '7',
      pid: String(pid),
    });
  });

  it('shows a SIGSEGV death as a crash with signal 11', async () => {
    const pid = await run('sh', ['-c', 'kill -SEGV $$']);
    const { value } = await within(
      () => rowsFor(pid),
      (rows) => rows.some((r) => r.kind === 'crash'),
      2000,
    );
    expect(value.find((r) => r.kind === 'crash')).toMatchObject({ signal: '11', pid: String(pid) });
  });

  it('reports its state in process_terminations_status', async () => {
    const rows = await ext.generate('process_terminations_status');
    const row = rows.find((r) => r.source === 'audit_log');
    expect(row?.state).toMatch(/^(running|degraded)$/);
    expect(Number(row?.events_read)).toBeGreaterThan(0);
    expect(row?.checkpoint).toMatch(/audit\.log.* \(inode \d+:\d+\) @\d+$/);
  });
});

describe.skipIf(skip !== null)('audit_log source without rights to the log', () => {
  it('fails to start with one line saying how to get access', () => {
    // The source module alone, run as nobody (the built CLI as a whole needs root to read here).
    const module = join(ROOT, 'build/src/sources/linux/audit-log/audit-log-source.js');
    const script =
      `new (require(${JSON.stringify(module)}).AuditLogSource)({ path: ${JSON.stringify(AUDIT_LOG)},` +
      ` stateDir: null, retentionSeconds: 60 }).start(() => {})` +
      `.then(() => console.log('started'), (e) => console.log(e.message))`;
    const out = spawnSync(
      'setpriv',
      ['--reuid=65534', '--regid=65534', '--clear-groups', process.execPath, '-e', script],
      { encoding: 'utf8' },
    );
    expect(out.stdout.trim().split('\n')).toEqual([
      `cannot read the audit log ${AUDIT_LOG}: permission denied; run the extension as root, or ` +
        'add its user to the group that owns /var/log/audit (log_group in ' +
        '/etc/audit/auditd.conf, then restart auditd)',
    ]);
  });
});
