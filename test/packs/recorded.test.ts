import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_WATCHLIST } from '../../src/config/watchlist-defaults';
import { applyWatchlistConfig, parseWatchlistConfig } from '../../src/config/watchlist';
import { FORMATS } from '../../src/replay';
import { loadPack } from '../../src/sql/pack';
import { collectRows } from '../../src/sql/pack-files';
import { createPackEngine, runPack, type QueryResult } from '../../src/sql/run-pack';

// Recorded with real auditd by scripts/record-pack-fixtures (see test/fixtures/packs/README.md).
const FIXTURES = 'test/fixtures/packs';
const pack = loadPack('packs/process-terminations.pack.yml');
// A host whose one required agent (auditd, the default) runs, so only the events can flag.
const HOST = [
  { pid: 900, name: 'auditd', path: '/usr/sbin/auditd', cmdline: '/sbin/auditd', parent: 1 },
];

async function flagged(files: string[], watchlist = DEFAULT_WATCHLIST): Promise<QueryResult[]> {
  const engine = createPackEngine({
    terminations: await collectRows(files),
    watchlist,
    processes: HOST,
  });
  const results = runPack(engine, pack).filter((r) => r.rows.length > 0);
  engine.close();
  return results;
}

// Pids read from the raw audit text, independently of the parser: SYSCALL pid= is the sender,
// OBJ_PID opid= the target.
function pids(file: string): { senders: number[]; targets: number[] } {
  const text = readFileSync(`${FIXTURES}/${file}`, 'utf8');
  const all = (re: RegExp) => [...text.matchAll(re)].map((m) => Number(m[1]));
  return {
    senders: [...new Set(all(/type=SYSCALL .* pid=(\d+) /g))],
    targets: all(/opid=(\d+) /g),
  };
}

describe('pack on real auditd recordings', () => {
  it('flags falcon-sensor SIGKILLed by bash as T1562.001 (T1685 in v19), nothing else', async () => {
    const { senders, targets } = pids('agent-sigkill.log');
    const results = await flagged([`${FIXTURES}/agent-sigkill.log`]);
    expect(results.map((r) => r.name)).toEqual(['pt_security_agent_killed']);
    expect(results[0]?.rows).toEqual([
      expect.objectContaining({
        pid: targets[0],
        name: 'falcon-sensor',
        signal: 9,
        signal_name: 'SIGKILL',
        actor_pid: senders[0],
        actor_name: 'bash',
        category: 'security_agent',
        technique_id: 'T1562.001',
        tactic: 'Defense Evasion',
        v19_id: 'T1685',
      }),
    ]);
  });

  it('flags xmrig killed by a non-miner as T1668, nothing else', async () => {
    const { targets } = pids('miner-kill.log');
    const results = await flagged([`${FIXTURES}/miner-kill.log`]);
    expect(results.map((r) => r.name)).toEqual(['pt_competing_miner_killed']);
    expect(results[0]?.rows).toEqual([
      expect.objectContaining({
        pid: targets[0],
        name: 'xmrig',
        technique_id: 'T1668',
        tactic: 'Persistence',
        v19_id: 'T1668',
      }),
    ]);
  });

  it('flags one bash ending twenty sleeps as T1489 with 20 targets, nothing else', async () => {
    const { senders, targets } = pids('mass-kill.log');
    expect(new Set(targets).size).toBe(20);
    const results = await flagged([`${FIXTURES}/mass-kill.log`]);
    expect(results.map((r) => r.name)).toEqual(['pt_mass_process_kill']);
    expect(results[0]?.rows).toEqual([
      expect.objectContaining({
        actor_pid: senders[0],
        targets: 20,
        technique_id: 'T1489',
        tactic: 'Impact',
        v19_id: 'T1489',
      }),
    ]);
  });

  it('raises nothing for a plain sleep killed', async () => {
    expect(await flagged([`${FIXTURES}/plain-kill.log`])).toEqual([]);
  });

  it('does not call nine kills a mass kill (threshold 10)', async () => {
    const rows = await collectRows([`${FIXTURES}/mass-kill.log`]);
    const nine = rows.filter((r) => r.kind === 'signal').slice(0, 9);
    const engine = createPackEngine({
      terminations: nine,
      watchlist: DEFAULT_WATCHLIST,
      processes: HOST,
    });
    expect(runPack(engine, pack).flatMap((r) => r.rows)).toEqual([]);
  });

  it('flags the required auditd when the processes table lacks it, on Linux only', async () => {
    const engine = createPackEngine({
      terminations: [],
      watchlist: DEFAULT_WATCHLIST,
      processes: [],
    });
    const results = runPack(engine, pack).filter((r) => r.rows.length > 0);
    expect(results.map((r) => [r.name, r.rows])).toEqual([
      [
        'pt_required_agent_not_running_linux',
        [
          {
            name: 'auditd',
            category: 'security_agent',
            platform: 'linux',
            match: 'exact',
            technique_id: 'T1562.001',
            technique: 'Impair Defenses: Disable or Modify Tools',
            tactic: 'Defense Evasion',
            v19_id: 'T1685',
          },
        ],
      ],
    ]);
  });

  it('flags nothing once the watchlist config removes the agent and miner names', async () => {
    const config = parseWatchlistConfig('watchlist:\n  remove: [falcon-sensor, xmrig]\n');
    const files = ['agent-sigkill.log', 'miner-kill.log'].map((f) => `${FIXTURES}/${f}`);
    expect(await flagged(files, applyWatchlistConfig(config))).toEqual([]);
  });
});

const CORPUS = '../shared/corpus/windows/nxlog-json/7036.jsonl';
const windowsFormat = FORMATS.some((f) => f.name.startsWith('windows'));

describe('pack on Windows corpus events', () => {
  it.skipIf(!windowsFormat || !existsSync(CORPUS))(
    'flags a watched 7036 stop (T1489) and none of the default-unwatched stops (skips until the windows formats are registered)',
    async () => {
      expect(await flagged([CORPUS])).toEqual([]);
      // The corpus has "Software Protection" entering the stopped state three times.
      const config = parseWatchlistConfig(
        'watchlist:\n  entries:\n    - {name: Software Protection, category: backup_database, kind: service, platform: windows}\n',
      );
      const results = await flagged([CORPUS], applyWatchlistConfig(config));
      expect(results.map((r) => r.name)).toEqual(['pt_watched_service_stopped']);
      expect(results[0]?.rows.map((r) => [r['service'], r['technique_id']])).toEqual([
        ['Software Protection', 'T1489'],
        ['Software Protection', 'T1489'],
        ['Software Protection', 'T1489'],
      ]);
    },
  );
});
