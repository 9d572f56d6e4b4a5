// Live benchmarks on real auditd: kill-to-row latency through Thrift, and a sustained
// termination workload (rows found vs produced, the extension's CPU and peak RSS).
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { freshSleeper, kernelLost, withRules } from './bench-audit.mjs';
import { launch } from './bench-osquery.mjs';
import { launchStandIn } from './bench-standin.mjs';
import { cpuSeconds, median, percentile, sleep, vmMiB } from './bench-util.mjs';
import { performance } from 'node:perf_hooks';
import { clearInterval, setInterval } from 'node:timers';
import { URL } from 'node:url';

const root = new URL('..', import.meta.url).pathname;
const EQUALS = 2;
const LESS_THAN = 16;
const GREATER_THAN_OR_EQUALS = 32;
const LIVE_ARGS = ['--source', 'audit_log', '--verbose'];

/** Kills one fresh sleeper and polls generate(pid = X) until its signal row comes back. */
async function oneKill(ext, timeoutMs) {
  const child = await freshSleeper();
  const pid = child.pid;
  const t0 = performance.now();
  process.kill(pid, 'SIGTERM');
  const mine = (r) =>
    r.pid === String(pid) && r.kind === 'signal' && r.actor_pid === String(process.pid);
  while (performance.now() - t0 < timeoutMs) {
    const rows = await ext.generate([{ name: 'pid', op: EQUALS, expr: pid }]);
    if (rows.some(mine)) return performance.now() - t0;
    await sleep(2);
  }
  return null;
}

/** Adds the extension's last stderr lines to an error, since they usually say why. */
function explain(err, ext) {
  const exit = ext.child.exitCode === null ? 'running' : `exited with ${ext.child.exitCode}`;
  const tail = ext.stderr().trim().split('\n').slice(-3).join(' | ');
  return new Error(`${err.message} (extension ${exit}; stderr: ${tail})`);
}

/** Launches the extension on the live audit log and waits until a kill shows up in it. */
async function launchLive(tmp, start = launch) {
  const ext = await start(tmp, LIVE_ARGS);
  const reg = await ext.registered;
  const first = await oneKill(ext, 15_000);
  if (first === null) {
    await ext.stop();
    throw new Error('no row for a probe kill within 15 s: is the audit_log source implemented?');
  }
  return { ext, registeredMs: reg.ms };
}

/** Latency from kill() to the row returned by generate, over `kills` fresh processes. */
export async function benchLatency({ kills, tmp, log }) {
  return withRules(async () => {
    const { ext } = await launchLive(tmp);
    const lat = [];
    let missed = 0;
    try {
      for (let i = 0; i < kills; i++) {
        const ms = await oneKill(ext, 3000);
        if (ms === null) missed++;
        else lat.push(ms);
        if ((i + 1) % 100 === 0) log(`latency: ${i + 1}/${kills} kills`);
      }
    } catch (err) {
      throw explain(err, ext);
    } finally {
      await ext.stop();
    }
    return {
      kills,
      missed,
      p50_ms: median(lat),
      p90_ms: percentile(lat, 90),
      p99_ms: percentile(lat, 99),
      max_ms: Math.max(...lat),
    };
  });
}

function runWorkload(rate, seconds, share) {
  return new Promise((resolve, reject) => {
    const py = spawn('/usr/bin/python3', [join(root, 'bench/workload.py'), rate, seconds, share]);
    let out = '';
    let err = '';
    py.stdout.on('data', (d) => (out += d));
    py.stderr.on('data', (d) => (err += d));
    py.on('close', (code) =>
      code === 0 ? resolve(JSON.parse(out)) : reject(new Error(`workload failed: ${err}`)),
    );
  });
}

/**
 * Collects rows by one-second windows of event time, each asked for once, `lagS` seconds after
 * it closed (rows are evicted past --max-events, so everything cannot be fetched at the end).
 */
function windowPoller(ext, fromS, lagS) {
  const rows = new Map();
  let next = fromS;
  let busy = false;
  let maxCallMs = 0;
  let error = null;
  const poll = async (untilS) => {
    while (next < untilS) {
      const t0 = performance.now();
      const got = await ext.generate([
        { name: 'time', op: GREATER_THAN_OR_EQUALS, expr: next },
        { name: 'time', op: LESS_THAN, expr: next + 1 },
      ]);
      maxCallMs = Math.max(maxCallMs, performance.now() - t0);
      for (const r of got) rows.set(r.eid, r);
      next += 1;
    }
  };
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    poll(Math.floor(Date.now() / 1000) - lagS)
      .catch((err) => (error ??= err))
      .finally(() => (busy = false));
  }, 250);
  return {
    rows,
    maxCallMs: () => maxCallMs,
    async finish(untilS) {
      clearInterval(timer);
      while (busy) await sleep(20);
      if (error) throw new Error(`generate failed during the workload: ${error.message}`);
      await poll(untilS);
    },
  };
}

function countMatches(rows, w) {
  const killers = new Set(w.killers.map(String));
  let exits = 0;
  let signals = 0;
  for (const r of rows.values()) {
    if (r.kind === 'exit' && r.parent === String(w.forker)) exits++;
    if (r.kind === 'signal' && r.pid === String(w.sink) && killers.has(r.actor_pid)) signals++;
  }
  return { exits, signals };
}

/** `rate` terminations/s for `duration` s; rows matched vs produced, CPU %, VmHWM. */
export async function benchSustained({ rate, duration, share, tmp, log }) {
  return withRules(async () => {
    // The python stand-in: node-thrift's client needs seconds to decode a 5,000-row window,
    // long enough for the buffer to evict rows before they are asked for.
    const { ext } = await launchLive(tmp, launchStandIn);
    const pid = ext.child.pid;
    try {
      const lost0 = kernelLost();
      const startS = Math.floor(Date.now() / 1000);
      const poller = windowPoller(ext, startS, 4);
      const cpu0 = cpuSeconds(pid);
      // The peak so far comes from startup (the backlog read within retention), not the load.
      const before = { rss: vmMiB(pid, 'VmRSS'), hwm: vmMiB(pid, 'VmHWM') };
      const t0 = performance.now();
      const w = await runWorkload(rate, duration, share);
      await sleep(2000); // let the tail of the workload reach the extension
      const cpu = (cpuSeconds(pid) - cpu0) / ((performance.now() - t0) / 1000);
      const hwm = vmMiB(pid, 'VmHWM');
      log(`sustained: workload done (${w.exits} exits, ${w.signals} signals), collecting rows`);
      await poller.finish(Math.floor(Date.now() / 1000) + 1);
      const found = countMatches(poller.rows, w);
      const status = await ext.generateTable('process_terminations_status', []).catch(() => []);
      const produced = w.exits + w.signals;
      return {
        target_rate: rate,
        duration_s: duration,
        achieved_rate: produced / w.elapsed,
        produced,
        produced_exits: w.exits,
        produced_signals: w.signals,
        rows_found: found.exits + found.signals,
        lost: produced - found.exits - found.signals,
        kernel_lost: kernelLost() - lost0,
        cpu_percent: cpu * 100,
        vmhwm_mib: hwm,
        vmrss_before_mib: before.rss,
        vmhwm_before_mib: before.hwm,
        max_window_call_ms: poller.maxCallMs(),
        source_status: status[0] ?? null,
      };
    } catch (err) {
      throw explain(err, ext);
    } finally {
      await ext.stop();
    }
  });
}
