// Replay throughput: `process-terminations replay FILE` against `ausearch -if FILE --raw`, both
// writing to /dev/null, alternated so that both see the same page cache and machine load.
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { median, timeCommand } from './bench-util.mjs';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'build/src/cli/main.js');

/** Counts the rows (lines) `replay` prints for `file`, writing them to `out`. */
export async function countReplayRows(file, out) {
  const r = await timeCommand(process.execPath, [CLI, 'replay', file], { stdout: out });
  if (r.code !== 0) throw new Error(`replay exited with ${r.code}: ${r.stderr.trim()}`);
  let rows = 0;
  const text = readFileSync(out);
  for (let i = 0; i < text.length; i++) if (text[i] === 10) rows++;
  return { rows, ms: r.ms };
}

async function timed(cmd, args, label) {
  const r = await timeCommand(cmd, args);
  if (r.code !== 0) throw new Error(`${label} exited with ${r.code}: ${r.stderr.trim()}`);
  return r;
}

function summary(runs, bytes) {
  const wall = median(runs.map((r) => r.ms));
  const cpu = median(runs.map((r) => r.cpuMs));
  return {
    wall_ms: runs.map((r) => Math.round(r.ms)),
    cpu_ms: runs.map((r) => Math.round(r.cpuMs)),
    median_wall_ms: wall,
    median_cpu_ms: cpu,
    mb_s: bytes / 1e6 / (wall / 1000),
    mb_per_cpu_s: bytes / 1e6 / (cpu / 1000),
    max_rss_mib: Math.max(...runs.map((r) => r.rssMiB)),
  };
}

/**
 * Times `runs` rounds of replay and ausearch over `file`. Resolves with medians of wall and CPU
 * time, MB/s (1 MB = 10^6 bytes) and the ratios replay/ausearch (below 1: replay is faster).
 */
export async function benchReplay(file, { runs, tmp, log }) {
  const bytes = statSync(file).size;
  const warm = await countReplayRows(file, join(tmp, 'replay-rows.jsonl'));
  const mb = (bytes / 1e6).toFixed(1);
  log(`replay: ${warm.rows} rows from ${mb} MB (warm-up ${warm.ms.toFixed(0)} ms)`);
  const replay = [];
  const ausearch = [];
  for (let i = 0; i < runs; i++) {
    replay.push(await timed(process.execPath, [CLI, 'replay', file], 'replay'));
    ausearch.push(await timed('ausearch', ['-if', file, '--raw'], 'ausearch'));
    const last = (xs) => `${xs.at(-1).ms.toFixed(0)} ms (cpu ${xs.at(-1).cpuMs.toFixed(0)})`;
    log(`replay run ${i + 1}/${runs}: replay ${last(replay)}, ausearch ${last(ausearch)}`);
  }
  const ours = summary(replay, bytes);
  const theirs = summary(ausearch, bytes);
  return {
    bytes,
    rows: warm.rows,
    runs,
    replay: ours,
    ausearch: theirs,
    ratio: ours.median_wall_ms / theirs.median_wall_ms,
    cpu_ratio: ours.median_cpu_ms / theirs.median_cpu_ms,
  };
}
