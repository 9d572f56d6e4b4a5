import {
  appendFileSync,
  copyFileSync,
  mkdtempSync,
  rmSync,
  truncateSync,
  writeFileSync,
} from 'node:fs';
import { spawnSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchExtension, type StandInControl } from '../helpers/osqueryd';
import { exitEvent, stamps, text } from '../sources/audit-lines';
import {
  addRules,
  AUDIT_LOG,
  auditdUnavailable,
  deleteRules,
  killFrom,
  spawnSleep,
  within,
} from '../sources/live-audit';

const KEY = 'pt_follow_durability';
const skip = auditdUnavailable();
const TABLE = 'process_terminations';

async function launch(log: string, state: string): Promise<StandInControl> {
  const ext = await launchExtension([
    '--source',
    'audit_log',
    '--audit-log',
    log,
    '--state-dir',
    state,
    '--retention',
    '300',
  ]);
  await ext.registered();
  // The backlog is read in the background; the source says `running` once it is done.
  await within(
    () => ext.generate('process_terminations_status'),
    (rows) => rows.some((r) => r.source === 'audit_log' && r.state !== 'starting'),
    20_000,
  );
  return ext;
}

function rowsOf(ext: StandInControl, pid: number, kind: string) {
  return ext
    .generate(TABLE, [{ name: 'pid', op: 2, expr: String(pid) }])
    .then((rows) => rows.filter((r) => r.kind === kind));
}

async function sigkillSleep(): Promise<number> {
  const sleep = spawnSleep();
  await new Promise((r) => setTimeout(r, 100));
  await killFrom(sleep.pid, 9);
  await sleep.done;
  return sleep.pid;
}

describe.skipIf(skip !== null)(`durability on real auditd${skip ? ` (${skip})` : ''}`, () => {
  let state: string;
  beforeAll(() => {
    addRules(KEY);
    state = mkdtempSync(join(tmpdir(), 'pt-dur-state-'));
  });
  afterAll(() => {
    deleteRules(KEY);
    rmSync(state, { recursive: true, force: true });
  });

  it('shows kills from before, during and across a rotation in the downtime exactly once', async () => {
    const first = await launch(AUDIT_LOG, state);
    const before = await sigkillSleep();
    await within(
      () => rowsOf(first, before, 'signal'),
      (r) => r.length === 1,
      2000,
    );
    await first.stop();

    const down = await sigkillSleep();
    const pidof = spawnSync('pidof', ['auditd'], { encoding: 'utf8' }).stdout.trim();
    spawnSync('kill', ['-USR1', pidof]); // auditd rotates: audit.log -> audit.log.1
    await new Promise((r) => setTimeout(r, 500));
    const afterRotation = await sigkillSleep();

    const second = await launch(AUDIT_LOG, state);
    try {
      for (const pid of [before, down, afterRotation]) {
        const { value } = await within(
          () => rowsOf(second, pid, 'signal'),
          (r) => r.length > 0,
          3000,
        );
        expect(value, `pid ${pid}`).toHaveLength(1);
        expect(value[0]).toMatchObject({ signal: '9', actor_name: 'kill' });
      }
      // No file gap (the status `lost` also counts audit serial holes, which the host's other
      // audit users leave in the real log, so it is not asserted here).
      const [status] = await second.generate('process_terminations_status');
      expect(status).toMatchObject({ source: 'audit_log', state: 'running' });
      expect(status?.last_error ?? '').not.toMatch(/input lost/);
    } finally {
      await second.stop();
    }
  });
});

describe('durability on a log of our own: copy-truncate', () => {
  it('loses nothing when the log is copied aside and truncated, live and while down', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pt-dur-log-'));
    const log = join(dir, 'audit.log');
    const ownState = join(dir, 'state');
    const next = stamps(5_000);
    const exits = (from: number, to: number) => {
      const lines: string[] = [];
      for (let pid = from; pid < to; pid++) lines.push(...exitEvent(next(), pid, pid % 100));
      return text(lines);
    };
    writeFileSync(log, exits(70_000, 70_010));
    const ext = await launch(log, ownState);
    try {
      appendFileSync(log, exits(70_010, 70_020));
      copyFileSync(log, `${log}.1`);
      truncateSync(log, 0);
      appendFileSync(log, exits(70_020, 70_030));
      await within(
        () => ext.generate(TABLE),
        (rows) => rows.length === 30,
        3000,
      );
    } finally {
      await ext.stop();
    }
    copyFileSync(log, `${log}.2`); // while down: the live log is copied aside again
    truncateSync(log, 0);
    appendFileSync(log, exits(70_030, 70_040));
    const again = await launch(log, ownState);
    try {
      const rows = await again.generate(TABLE);
      expect(rows.map((r) => Number(r.pid)).sort()).toEqual(
        Array.from({ length: 40 }, (_, i) => 70_000 + i),
      );
      const [status] = await again.generate('process_terminations_status');
      expect(status).toMatchObject({ lost: '0', duplicates: '0' });
    } finally {
      await again.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
