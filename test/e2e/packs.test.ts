import { execFileSync, spawn, spawnSync } from 'node:child_process';
import {
  copyFileSync,
  mkdtempSync,
  openSync,
  readSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TERMINATION_COLUMNS } from '../../src/model/termination-columns';
import { SqlEngine } from '../../src/sql/engine';
import {
  extensionsTable,
  processesTable,
  readProcesses,
  timeTable,
} from '../../src/sql/host-tables';
import { loadOsqueryPack } from '../../src/sql/pack-files';
import { runPack, type QueryResult } from '../../src/sql/run-pack';
import { TECHNIQUE_COLUMNS } from '../../src/tables/techniques';
import { WATCHLIST_COLUMNS } from '../../src/tables/watchlist';
import { systemClock } from '../../src/model/clock';
import { launchExtension, type StandIn } from '../helpers/osqueryd';

// The pack's queries, run over rows fetched from the extension through the Thrift stand-in on
// real auditd. Rules carry our own key; our events are found by the pids we spawned. The
// extension reads the audit log bytes written during the test (--replay of that slice): on a
// host whose audit.log holds megabytes of other tests' events, following the whole live log
// takes longer than this file may.
const LOG = '/var/log/audit/audit.log';

function logSince(offset: number, file: string): void {
  const size = statSync(LOG).size - offset;
  const buf = Buffer.alloc(Math.max(0, size));
  const fd = openSync(LOG, 'r');
  readSync(fd, buf, 0, buf.length, offset);
  writeFileSync(file, buf);
}
const RULE = ['always,exit', '-F', 'arch=b64', '-S', 'kill,tkill,tgkill', '-k', 'pt_packs_e2e'];
const root = process.getuid?.() === 0;
const auditd = root && spawnSync('pgrep', ['-x', 'auditd']).status === 0;

function sleeper(path: string): number {
  const child = spawn(path, ['300'], { stdio: 'ignore' });
  if (child.pid === undefined) throw new Error(`cannot start ${path}`);
  return child.pid;
}

/** A fresh bash that signals `targets`; returns the bash's pid. */
function killFrom(signal: string, targets: number[]): number {
  const script = 'echo $$; for p in "$@"; do kill -s "$0" "$p"; done';
  return Number(
    execFileSync('bash', ['-c', script, signal, ...targets.map(String)], {
      encoding: 'utf8',
    }).trim(),
  );
}

describe.skipIf(!auditd)(
  'pack queries over the extension on real auditd (needs root and auditd)',
  () => {
    let standIn: StandIn;
    let work: string;
    let results: QueryResult[] = [];
    const spawned = { agent: 0, miner: 0, plain: 0, massActor: 0, mass: [] as number[] };

    beforeAll(async () => {
      execFileSync('auditctl', ['-a', ...RULE]);
      work = mkdtempSync(join(tmpdir(), 'pt-packs-e2e-'));
      copyFileSync('/bin/sleep', join(work, 'osqueryd'));
      copyFileSync('/bin/sleep', join(work, 'xmrig'));
      const offset = statSync(LOG).size;
      spawned.agent = sleeper(join(work, 'osqueryd'));
      spawned.miner = sleeper(join(work, 'xmrig'));
      spawned.plain = sleeper('sleep');
      spawned.mass = Array.from({ length: 12 }, () => sleeper('sleep'));
      await new Promise((r) => setTimeout(r, 300));
      killFrom('KILL', [spawned.agent]);
      killFrom('KILL', [spawned.miner]);
      killFrom('TERM', [spawned.plain]);
      spawned.massActor = killFrom('TERM', spawned.mass);

      await new Promise((r) => setTimeout(r, 1500)); // auditd writes asynchronously
      logSince(offset, join(work, 'audit.log'));
      standIn = await launchExtension(['--replay', join(work, 'audit.log')]);
      await standIn.registered();

      const wanted = [spawned.agent, spawned.miner, spawned.plain, ...spawned.mass].map(String);
      let rows: Record<string, string>[] = [];
      for (let i = 0; i < 20; i++) {
        rows = await standIn.generate('process_terminations');
        const seen = new Set(rows.filter((r) => r['kind'] === 'signal').map((r) => r['pid']));
        if (wanted.every((p) => seen.has(p))) break;
        await new Promise((r) => setTimeout(r, 500));
      }
      const engine = new SqlEngine([
        { name: 'process_terminations', columns: TERMINATION_COLUMNS, rows },
        {
          name: 'process_termination_techniques',
          columns: TECHNIQUE_COLUMNS,
          rows: await standIn.generate('process_termination_techniques'),
        },
        {
          name: 'process_termination_watchlist',
          columns: WATCHLIST_COLUMNS,
          rows: await standIn.generate('process_termination_watchlist'),
        },
        timeTable(systemClock),
        processesTable(readProcesses()),
        extensionsTable('e2e'),
      ]);
      results = runPack(engine, loadOsqueryPack('packs/process-terminations.conf'));
      engine.close();
    });

    afterAll(async () => {
      spawnSync('auditctl', ['-d', ...RULE]);
      await standIn?.stop();
      if (work) rmSync(work, { recursive: true, force: true });
    });

    const hits = (field: string, value: number) =>
      results.flatMap((r) =>
        r.rows.filter((row) => row[field] === value).map((row) => [r.name, row['technique_id']]),
      );

    it('flags the osqueryd-named process SIGKILLed by bash as T1562.001', () => {
      expect(hits('pid', spawned.agent)).toEqual([['pt_security_agent_killed', 'T1562.001']]);
    });

    it('flags the killed xmrig as T1668', () => {
      expect(hits('pid', spawned.miner)).toEqual([['pt_competing_miner_killed', 'T1668']]);
    });

    it('flags the bash that ended twelve sleeps as T1489', () => {
      expect(hits('actor_pid', spawned.massActor)).toEqual([['pt_mass_process_kill', 'T1489']]);
    });

    it('does not flag the plain sleep kill', () => {
      expect(hits('pid', spawned.plain)).toEqual([]);
    });
  },
);
