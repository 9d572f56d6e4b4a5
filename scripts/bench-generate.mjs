// generate through Thrift over a full buffer (loaded with --replay), and start-to-registered.
import { launch } from './bench-osquery.mjs';
import { launchStandIn } from './bench-standin.mjs';
import { median, sleep } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';

const GREATER_THAN = 4;
// Ten years: replayed events keep their recorded times, which must stay inside retention.
const RETENTION_S = String(10 * 365 * 24 * 3600);

// Polls the status table (cheap) rather than full scans until the buffer holds `want` rows.
async function waitLoaded(ext, want, timeoutMs, log) {
  const t0 = performance.now();
  let buffered = 0;
  while (performance.now() - t0 < timeoutMs) {
    const status = await ext.generateTable('process_terminations_status', []);
    buffered = Math.max(0, ...status.map((r) => Number(r.rows_buffered ?? 0)));
    if (buffered >= want) return buffered;
    log(`generate: ${buffered} rows buffered so far`);
    await sleep(2000);
  }
  throw new Error(`only ${buffered} rows buffered after ${timeoutMs} ms, expected ${want}`);
}

async function timeCalls(runs, fn) {
  const ms = [];
  let rows = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = await fn();
    ms.push(performance.now() - t0);
  }
  const newest = rows.reduce((m, r) => Math.max(m, Number(r.time)), 0);
  return { ms, median_ms: median(ms), rows: rows.length, newest };
}

/**
 * Loads `file` (yielding at least `want` rows) with --max-events `want`, then times full scans
 * and a `time >` scan selecting the last second of events.
 */
export async function benchGenerate(file, { want, runs, tmp, log }) {
  const args = ['--replay', file, '--max-events', String(want), '--retention', RETENTION_S];
  const ext = launchStandIn(tmp, args);
  try {
    await ext.registered;
    const t0 = performance.now();
    const buffered = await waitLoaded(ext, want, 150_000, log);
    log(`generate: ${buffered} rows buffered after ${(performance.now() - t0).toFixed(0)} ms`);
    const full = await timeCalls(runs, () => ext.generate([]));
    const since = Math.floor(full.newest) - 1;
    const recent = await timeCalls(runs, () =>
      ext.generate([{ name: 'time', op: GREATER_THAN, expr: since }]),
    );
    return { buffered, full_scan: full, time_constraint: { ...recent, since } };
  } catch (err) {
    const tail = ext.stderr().trim().split('\n').slice(-2).join(' | ');
    throw new Error(`${err.message} (extension exit code ${ext.child.exitCode}; stderr: ${tail})`);
  } finally {
    await ext.stop();
  }
}

/** Spawn to registerExtension arriving, `runs` times, with the extension given `args`. */
export async function benchStart(args, { runs, tmp }) {
  const ms = [];
  for (let i = 0; i < runs; i++) {
    const ext = await launch(tmp, args);
    try {
      ms.push((await ext.registered).ms);
    } finally {
      await ext.stop();
    }
  }
  return { args: args.join(' '), ms, median_ms: median(ms) };
}
