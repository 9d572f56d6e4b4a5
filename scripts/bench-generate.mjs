// generate through Thrift over a full buffer (loaded with --replay), and start-to-registered.
import { launch } from './bench-osquery.mjs';
import { median, sleep } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';

const GREATER_THAN = 4;
// Ten years: replayed events keep their recorded times, which must stay inside retention.
const RETENTION_S = String(10 * 365 * 24 * 3600);

async function waitLoaded(ext, want, timeoutMs) {
  const t0 = performance.now();
  let rows = [];
  while (performance.now() - t0 < timeoutMs) {
    rows = await ext.generate([]);
    if (rows.length >= want) return rows;
    await sleep(500);
  }
  throw new Error(`only ${rows.length} rows buffered after ${timeoutMs} ms, expected ${want}`);
}

async function timeCalls(runs, fn) {
  const ms = [];
  let rows = 0;
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    rows = (await fn()).length;
    ms.push(performance.now() - t0);
  }
  return { ms, median_ms: median(ms), rows };
}

/**
 * Loads `file` (yielding at least `want` rows) with --max-events `want`, then times full scans
 * and a `time >` scan selecting the last second of events.
 */
export async function benchGenerate(file, { want, runs, tmp, log }) {
  const args = ['--replay', file, '--max-events', String(want), '--retention', RETENTION_S];
  const ext = await launch(tmp, args);
  try {
    await ext.registered;
    const t0 = performance.now();
    const rows = await waitLoaded(ext, want, 180_000);
    log(`generate: ${rows.length} rows buffered after ${(performance.now() - t0).toFixed(0)} ms`);
    const newest = Math.max(...rows.map((r) => Number(r.time)));
    const since = Math.floor(newest) - 1;
    const full = await timeCalls(runs, () => ext.generate([]));
    const recent = await timeCalls(runs, () =>
      ext.generate([{ name: 'time', op: GREATER_THAN, expr: since }]),
    );
    return { buffered: rows.length, full_scan: full, time_constraint: { ...recent, since } };
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
