// Renders a benchmark report as one plain-text table: measured value, goal, verdict.

const fmt = (x, digits = 1) =>
  typeof x === 'number' && Number.isFinite(x) ? x.toFixed(digits) : '-';

function verdict(value, goal, lowerIsBetter = true) {
  if (typeof value !== 'number' || !Number.isFinite(value)) return 'n/a';
  return (lowerIsBetter ? value <= goal : value >= goal) ? 'ok' : 'MISS';
}

function replayRows(r) {
  if (!r || r.error) return [['replay vs ausearch', 'not measured', '', r?.error ?? 'skipped']];
  const size = `${fmt(r.bytes / 1e6)} MB, ${r.rows} rows, median of ${r.runs}`;
  const side = (x) => {
    const cpu = `${fmt(x.mb_per_cpu_s)} MB per CPU s`;
    return `${fmt(x.median_wall_ms, 0)} ms wall, ${cpu}, RSS ${fmt(x.max_rss_mib, 0)} MiB`;
  };
  return [
    ['replay (ours) MB/s', fmt(r.replay.mb_s), '', `${side(r.replay)}; ${size}`],
    ['ausearch --raw MB/s', fmt(r.ausearch.mb_s), '', side(r.ausearch)],
    ['replay / ausearch wall', fmt(r.ratio, 2), '<= 1.0 (0.5)', verdict(r.ratio, 1.0)],
    ['replay / ausearch CPU', fmt(r.cpu_ratio, 2), '<= 1.0 (0.5)', verdict(r.cpu_ratio, 1.0)],
  ];
}

function liveRows(lat, sus) {
  const rows = [];
  if (!lat || lat.error)
    rows.push(['kill -> row latency', 'not measured', '', lat?.error ?? 'skipped']);
  else {
    const spread = `p50 ${fmt(lat.p50_ms)} ms, max ${fmt(lat.max_ms)} ms`;
    const note = `${spread}, ${lat.kills} kills, ${lat.missed} missed`;
    rows.push([
      'kill -> row p99 ms',
      fmt(lat.p99_ms),
      '<= 200',
      `${verdict(lat.p99_ms, 200)}; ${note}`,
    ]);
  }
  if (!sus || sus.error) {
    rows.push(['sustained terminations', 'not measured', '', sus?.error ?? 'skipped']);
    return rows;
  }
  const mix = `${sus.produced_exits} exits + ${sus.produced_signals} signals`;
  const found = `${sus.rows_found}/${sus.produced} found, kernel lost ${sus.kernel_lost}`;
  rows.push(
    [
      'sustained rate /s',
      fmt(sus.achieved_rate, 0),
      `>= ${sus.target_rate}`,
      `${verdict(sus.achieved_rate, sus.target_rate * 0.98, false)}; ${mix} in ${sus.duration_s} s`,
    ],
    ['sustained lost rows', String(sus.lost), '0', `${verdict(sus.lost, 0)}; ${found}`],
    ['extension CPU % of a core', fmt(sus.cpu_percent), '<= 20', verdict(sus.cpu_percent, 20)],
    ['extension VmHWM MiB', fmt(sus.vmhwm_mib), '<= 150', verdict(sus.vmhwm_mib, 150)],
  );
  return rows;
}

function generateRows(gen, start) {
  const rows = [];
  if (!gen || gen.error)
    rows.push(['generate 50k rows', 'not measured', '', gen?.error ?? 'skipped']);
  else {
    const f = gen.full_scan;
    const t = gen.time_constraint;
    rows.push(
      [
        'generate full scan ms',
        fmt(f.median_ms),
        '<= 300',
        `${verdict(f.median_ms, 300)}; ${f.rows} rows of ${gen.buffered}`,
      ],
      [
        'generate time > ms',
        fmt(t.median_ms),
        '<= 15',
        `${verdict(t.median_ms, 15)}; ${t.rows} rows`,
      ],
    );
  }
  if (!start || start.error)
    rows.push(['start -> registered', 'not measured', '', start?.error ?? 'skipped']);
  else
    rows.push([
      'start -> registered ms',
      fmt(start.median_ms),
      '<= 300',
      `${verdict(start.median_ms, 300)}; ${start.args}`,
    ]);
  return rows;
}

function profileRows(p) {
  if (!p || p.error) return [['replay profile', 'not measured', '', p?.error ?? 'skipped']];
  return p.functions
    .slice(0, 5)
    .map((f, i) => [i === 0 ? 'replay profile, self time' : '', `${f.pct}%`, '', f.name]);
}

/** The whole report as text: a header naming the machine, then the aligned table. */
export function renderTable(report) {
  const m = report.machine;
  const r = report.results;
  const rows = [
    ['metric', 'measured', 'goal', 'verdict / notes'],
    ...replayRows(r.replay),
    ...liveRows(r.latency, r.sustained),
    ...generateRows(r.generate, r.start),
    ...profileRows(r.profile),
  ];
  const widths = [0, 1, 2].map((c) => Math.max(...rows.map((row) => row[c].length)));
  const line = (row) => row.map((cell, c) => (c < 3 ? cell.padEnd(widths[c]) : cell)).join('  ');
  const load = `load ${m.load1} at start, ${report.load1_end} at end`;
  const box = `${m.nproc} x ${m.cpu}, kernel ${m.kernel}, node ${m.node}; ${load}`;
  const head = `process-terminations bench @ ${report.revision} (${report.date})\n${box}\n\n`;
  return `${head}${rows.map(line).join('\n')}\n`;
}
