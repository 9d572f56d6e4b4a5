// Profiles `replay` with V8's sampling profiler and summarizes self time per function and per
// file. Also runnable alone: node scripts/bench-profile.mjs FILE.cpuprofile
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { timeCommand } from './bench-util.mjs';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const CLI = join(root, 'build/src/cli/main.js');

function where(frame) {
  const url = frame.url.replace(/^file:\/\//, '');
  const file = url.startsWith(root) ? relative(root, url) : url || '(native)';
  return { file, fn: frame.functionName || '(anonymous)', line: frame.lineNumber + 1 };
}

/**
 * Self time per function and per file of a .cpuprofile, largest first, by sample count: V8
 * stamps each sample with wall time, so on a loaded machine a sample taken after the thread sat
 * descheduled carries that wait; counting samples instead tracks time actually spent running.
 * `ms` is the share of samples times the profile's median sampling interval.
 */
export function summarize(profile, top = 15) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const fns = new Map();
  const files = new Map();
  let total = 0;
  const deltas = [...profile.timeDeltas].sort((a, b) => a - b);
  const interval = (deltas[Math.floor(deltas.length / 2)] ?? 0) / 1000;
  profile.samples.forEach((id) => {
    const dt = interval;
    const w = where(byId.get(id).callFrame);
    const key = `${w.fn} ${w.file}:${w.line}`;
    fns.set(key, (fns.get(key) ?? 0) + dt);
    files.set(w.file, (files.get(w.file) ?? 0) + dt);
    total += dt;
  });
  const rank = (m) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([name, ms]) => ({ name, ms: Math.round(ms), pct: +((100 * ms) / total).toFixed(1) }));
  return { total_ms: Math.round(total), functions: rank(fns), files: rank(files) };
}

/** Runs `replay file` under --cpu-prof into `dir` and summarizes the profile. */
export async function profileReplay(file, dir) {
  const args = ['--cpu-prof', '--cpu-prof-dir', dir, CLI, 'replay', file];
  const r = await timeCommand(process.execPath, args);
  if (r.code !== 0) throw new Error(`profiled replay exited with ${r.code}: ${r.stderr.trim()}`);
  const name = readdirSync(dir).find((f) => f.endsWith('.cpuprofile'));
  if (!name) throw new Error(`no .cpuprofile written in ${dir}`);
  const summary = summarize(JSON.parse(readFileSync(join(dir, name), 'utf8')));
  return { wall_ms: Math.round(r.ms), profile: join(dir, name), ...summary };
}

if (process.argv[1] === new URL(import.meta.url).pathname && process.argv[2]) {
  const s = summarize(JSON.parse(readFileSync(process.argv[2], 'utf8')), 25);
  console.log(`total sampled: ${s.total_ms} ms`);
  for (const f of s.functions)
    console.log(`${String(f.ms).padStart(7)} ms ${String(f.pct).padStart(5)}%  ${f.name}`);
  console.log('--- by file');
  for (const f of s.files)
    console.log(`${String(f.ms).padStart(7)} ms ${String(f.pct).padStart(5)}%  ${f.name}`);
}
