/**
 * Soak test (not run in CI): runs a termination workload for a while against the live
 * extension on real auditd, through the osqueryd stand-in, then compares what the workload did
 * (pids that exited with a known status, pids it SIGKILLed) with the table's rows.
 *
 *   scripts/soak [seconds=60] [--rate N per second, default 20]
 *
 * Needs root, auditd, /usr/bin/python3 with thrift. Adds two rules with key pt_soak and
 * deletes exactly those at the end. Exit status 1 when a row is missing or doubled.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { launchExtension, type StandInControl } from '../test/helpers/osqueryd';
import {
  addRules,
  auditdUnavailable,
  deleteRules,
  killFrom,
  run,
  spawnSleep,
} from '../test/sources/live-audit';

interface Expected {
  pid: number;
  kind: 'exit' | 'signal';
  value: number;
}

async function workload(seconds: number, rate: number): Promise<Expected[]> {
  const done: Expected[] = [];
  const end = Date.now() + seconds * 1000;
  for (let i = 0; Date.now() < end; i++) {
    if (i % 2 === 0) {
      const code = i % 100;
      done.push({ pid: await run('sh', ['-c', `exit ${code}`]), kind: 'exit', value: code });
    } else {
      const sleep = spawnSleep();
      await new Promise((r) => setTimeout(r, 20));
      await killFrom(sleep.pid, 9);
      await sleep.done;
      done.push({ pid: sleep.pid, kind: 'signal', value: 9 });
    }
    await new Promise((r) => setTimeout(r, 1000 / rate));
  }
  return done;
}

async function compare(ext: StandInControl, expected: Expected[]): Promise<number> {
  const rows = await ext.generate('process_terminations');
  let missing = 0;
  let doubled = 0;
  for (const e of expected) {
    const hits = rows.filter(
      (r) =>
        Number(r.pid) === e.pid &&
        r.kind === e.kind &&
        Number(e.kind === 'exit' ? r.exit_code : r.signal) === e.value,
    );
    if (hits.length === 0) missing++;
    if (hits.length > 1) doubled++;
  }
  const count = (k: string) => expected.filter((e) => e.kind === k).length;
  console.log(`workload: ${count('exit')} exits, ${count('signal')} SIGKILLs`);
  console.log(`table: ${rows.length} rows in all; missing ${missing}, doubled ${doubled}`);
  console.log('status:', JSON.stringify(await ext.generate('process_terminations_status')));
  return missing + doubled === 0 ? 0 : 1;
}

async function main(): Promise<number> {
  const seconds = Number(process.argv[2] ?? 60);
  const rateAt = process.argv.indexOf('--rate');
  const rate = rateAt > 0 ? Number(process.argv[rateAt + 1]) : 20;
  const why = auditdUnavailable();
  if (why) throw new Error(`soak needs real auditd: ${why}`);
  deleteRules('pt_soak'); // left over from an interrupted run
  addRules('pt_soak');
  const state = mkdtempSync(join(tmpdir(), 'pt-soak-'));
  let ext: StandInControl | null = null;
  try {
    ext = await launchExtension(['--source', 'audit_log', '--state-dir', state]);
    console.log(`registered in ${(await ext.registered()).ms} ms; running ${seconds} s`);
    const expected = await workload(seconds, rate);
    await new Promise((r) => setTimeout(r, 3000));
    return await compare(ext, expected);
  } finally {
    deleteRules('pt_soak');
    await ext?.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(`soak: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(2);
  },
);
