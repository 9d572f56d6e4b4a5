// The benchmark run behind `npm run bench`: every scenario side by side, one table, one JSON
// file per commit in bench-results/. A scenario that cannot run is reported, not fatal.
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { buildLog } from './bench-corpus.mjs';
import { benchGenerate, benchStart } from './bench-generate.mjs';
import { benchLatency, benchSustained } from './bench-live.mjs';
import { liveUnavailable } from './bench-audit.mjs';
import { profileReplay } from './bench-profile.mjs';
import { benchReplay, countReplayRows } from './bench-replay.mjs';
import { renderTable } from './bench-table.mjs';
import { gitRevision, machine } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const CORPUS = '/work/shared/corpus/linux-audit/this-machine/termination-workload.log';
const SCENARIOS = ['replay', 'profile', 'generate', 'start', 'latency', 'sustained'];

const { values: opt } = parseArgs({
  options: {
    duration: { type: 'string', default: '60' },
    rate: { type: 'string', default: '5000' },
    'fork-share': { type: 'string', default: '0.05' },
    kills: { type: 'string', default: '300' },
    runs: { type: 'string', default: '3' },
    'size-mb': { type: 'string', default: '100' },
    corpus: { type: 'string', default: process.env.BENCH_CORPUS ?? CORPUS },
    only: { type: 'string', default: SCENARIOS.join(',') },
    keep: { type: 'boolean', default: false },
  },
});
const only = new Set(opt.only.split(','));
const log = (msg) => process.stderr.write(`bench: ${msg}\n`);

async function scenario(name, results, fn) {
  if (!only.has(name)) return;
  const t0 = performance.now();
  log(`${name}: start`);
  try {
    results[name] = await fn();
  } catch (err) {
    results[name] = { error: err instanceof Error ? err.message : String(err) };
    log(`${name}: not measured: ${results[name].error}`);
  }
  log(`${name}: done in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
}

/** A log of whole corpus copies yielding at least `want` rows, judged by one copy's rows. */
async function generateLog(tmp, want) {
  const one = await countReplayRows(opt.corpus, join(tmp, 'one-copy.jsonl'));
  if (one.rows === 0) throw new Error('replay of the corpus yields no rows');
  const file = join(tmp, 'generate.log');
  const copies = Math.ceil((want * 1.05) / one.rows);
  await buildLog(opt.corpus, file, (copies - 0.5) * statSync(opt.corpus).size);
  return file;
}

/** Moves the replay profile beside the results, where tmp's removal does not reach it. */
function keepProfile(profile, revision) {
  if (!profile?.profile) return;
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const dest = join(root, 'bench-results', `${revision}-replay.cpuprofile`);
  copyFileSync(profile.profile, dest);
  profile.profile = dest;
}

async function main() {
  const tmp = mkdtempSync(join(tmpdir(), 'pt-bench-'));
  const runs = Number(opt.runs);
  const results = {};
  const header = { revision: gitRevision(), date: new Date().toISOString(), machine: machine() };
  log(`revision ${header.revision}; temp dir ${tmp}`);
  try {
    const big = join(tmp, 'big.log');
    const built = await buildLog(opt.corpus, big, Number(opt['size-mb']) * 1e6);
    log(`corpus: ${built.copies} copies, ${(built.bytes / 1e6).toFixed(1)} MB in ${big}`);
    await scenario('replay', results, () => benchReplay(big, { runs, tmp, log }));
    await scenario('profile', results, () => profileReplay(big, join(tmp, 'prof')));
    await scenario('generate', results, async () =>
      benchGenerate(await generateLog(tmp, 50_000), { want: 50_000, runs: 5, tmp, log }),
    );
    const live = liveUnavailable();
    const startArgs = live ? ['--replay', opt.corpus] : ['--source', 'audit_log'];
    await scenario('start', results, () => benchStart(startArgs, { runs: 5, tmp }));
    const gate = (fn) => () => (live ? Promise.reject(new Error(live)) : fn());
    const kills = Number(opt.kills);
    await scenario(
      'latency',
      results,
      gate(() => benchLatency({ kills, tmp, log })),
    );
    const sustained = { rate: Number(opt.rate), duration: Number(opt.duration) };
    await scenario(
      'sustained',
      results,
      gate(() => benchSustained({ ...sustained, share: Number(opt['fork-share']), tmp, log })),
    );
    keepProfile(results.profile, header.revision);
  } finally {
    if (opt.keep) log(`kept ${tmp}`);
    else rmSync(tmp, { recursive: true, force: true });
  }
  const report = { ...header, load1_end: machine().load1, options: opt, results };
  process.stdout.write(renderTable(report));
  mkdirSync(join(root, 'bench-results'), { recursive: true });
  const out = join(root, 'bench-results', `${header.revision}.json`);
  writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
  log(`wrote ${out}`);
}

main().catch((err) => {
  process.stderr.write(`bench: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
