/**
 * The extension's life with osqueryd, played by the Python stand-in (a second Thrift
 * implementation): registration, queries, and every way it ends.
 */
import { copyFileSync, existsSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ensureBuilt,
  launchExtension,
  PYTHON,
  ROOT,
  waitForSource,
  type StandInControl,
} from '../helpers/osqueryd';

const FIXTURE = join(ROOT, 'test', 'fixtures', 'osquery', 'kill-and-exit.log');
const hasPython = existsSync(PYTHON) && existsSync('/usr/bin/thrift');

let dir = '';
let standin: StandInControl | null = null;

beforeAll(() => {
  ensureBuilt();
  dir = mkdtempSync('/tmp/ptlife-');
  copyFileSync(FIXTURE, join(dir, 'audit.log'));
});
afterEach(async () => {
  await standin?.stop();
  standin = null;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

// The fixture's events are from 1796314252; a ten-year retention keeps them queryable.
async function launch(interval = 1): Promise<StandInControl> {
  const args = ['--source', 'audit_log', '--audit-log', join(dir, 'audit.log')];
  standin = await launchExtension([...args, '--retention', '315360000'], { interval });
  await standin.registered();
  // Registration comes before the source reads its backlog: wait for the fixture's rows.
  await waitForSource(standin, 'audit_log', 10_000);
  return standin;
}

function elapsed(since: number): number {
  return Date.now() - since;
}

describe.skipIf(!hasPython)('extension lifecycle through the osqueryd stand-in', () => {
  it('registers process_terminations with one column route per column', async () => {
    const s = await launch();
    const reg = await s.registration();
    expect(reg.name).toBe('process_terminations');
    expect(reg.min_sdk_version).toBe('');
    expect(reg.tables).toContain('process_terminations');
    const routes = reg.routes.table?.process_terminations ?? [];
    expect(routes[0]).toEqual({ id: 'column', name: 'time', type: 'BIGINT', op: '0' });
    expect(routes.find((r) => r.name === 'signal')).toEqual({
      id: 'column',
      name: 'signal',
      type: 'INTEGER',
      op: '0',
    });
    expect(routes.find((r) => r.name === 'kind')?.type).toBe('TEXT');
    expect(routes.every((r) => r.id === 'column' && r.op === '0')).toBe(true);
    // Connect + register + listen, as the extension logs it; node's own start-up is not
    // counted, as it depends on the host's load.
    const logged = /"ms":(\d+),"msg":"registered with osqueryd"/.exec(s.stderr());
    expect(Number(logged?.[1])).toBeLessThan(1000);
  });

  it('serves its socket to its owner only', async () => {
    const s = await launch();
    const mode = statSync(await s.extensionSocket()).mode & 0o777;
    expect(mode & 0o002).toBe(0);
    expect(mode).toBe(0o600);
  });

  it('answers generate with the fixture rows, narrowed by pid and time', async () => {
    const s = await launch();
    const all = await s.generate('process_terminations');
    expect(all.map((r) => r.pid)).toEqual(['2287', '4079']);
    const kill = all[0] ?? {};
    expect(kill).toMatchObject({
      time: '1796314252',
      kind: 'signal',
      signal: '10',
      signal_name: 'SIGUSR1',
      actor_pid: '4064',
      syscall: 'kill',
    });
    expect('exit_code' in kill).toBe(false);
    const byPid = await s.generate('process_terminations', [{ name: 'pid', op: 2, expr: '4079' }]);
    expect(byPid.map((r) => r.kind)).toEqual(['exit']);
    const late = await s.generate('process_terminations', [
      { name: 'time', op: 32, expr: '1796314253' },
    ]);
    expect(late.map((r) => r.pid)).toEqual(['4079']);
  });

  it('answers an unknown action, table or registry with status 1', async () => {
    const s = await launch();
    const bad = await s.call('table', 'process_terminations', { action: 'drop' });
    expect(bad.code).toBe(1);
    expect(bad.message).toMatch(/expected generate or columns/);
    expect((await s.call('table', 'no_such_table', { action: 'generate' })).code).toBe(1);
    expect((await s.call('config', 'process_terminations', { action: 'genConfig' })).code).toBe(1);
    const badContext = await s.call('table', 'process_terminations', {
      action: 'generate',
      context: '{not json',
    });
    expect(badContext.code).toBe(1);
    const cols = await s.call('table', 'process_terminations', { action: 'columns' });
    expect(cols.code).toBe(0);
    expect(cols.response[0]).toEqual({ id: 'column', name: 'time', type: 'BIGINT', op: '0' });
  });

  it('exits 0 when osqueryd calls shutdown()', async () => {
    const s = await launch();
    const path = await s.extensionSocket();
    await s.command('shutdown_ext');
    expect(await s.extensionExit()).toBe(0);
    expect(existsSync(path)).toBe(false);
  });

  it('exits within two intervals when the manager socket goes away', async () => {
    const s = await launch(1);
    const t0 = Date.now();
    await s.command('stop_manager');
    const status = await s.exitStatus();
    expect(elapsed(t0)).toBeLessThan(2 * 1000 + 1500);
    expect(status.code).toBe(1);
    expect(s.stderr()).toMatch(/osqueryd is gone/);
  });

  it('exits when osqueryd no longer lists its uuid', async () => {
    const s = await launch(1);
    const t0 = Date.now();
    await s.command('drop_uuid');
    expect(await s.extensionExit()).toBe(1);
    expect(elapsed(t0)).toBeLessThan(2 * 1000 + 1500);
    expect(s.stderr()).toMatch(/no longer lists our uuid/);
  });

  it('on SIGTERM deregisters, removes its socket and exits 0 within 2 s', async () => {
    const s = await launch();
    const reg = await s.registration();
    const path = await s.extensionSocket();
    const t0 = Date.now();
    process.kill(s.extensionPid, 'SIGTERM');
    expect(await s.extensionExit()).toBe(0);
    expect(elapsed(t0)).toBeLessThan(2000);
    expect(existsSync(path)).toBe(false);
    expect(await s.command('extensions')).not.toHaveProperty(reg.uuid);
  });
});
