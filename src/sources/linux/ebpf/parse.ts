/**
 * Parses the lines bpftrace prints for {@link BPFTRACE_PROGRAM} in JSON mode, one line at a
 * time. Never throws: anything unexpected becomes an `error` record with the reason, so one
 * bad line costs one counted parse error and nothing else.
 */

/** sched_process_exec: `pid` now runs `path` (cut at 200 bytes by bpftrace). */
export interface ExecRecord {
  type: 'exec';
  ktime: bigint;
  pid: number;
  path: string;
}

/** Exit of a process's last thread; `status` is the kernel's wait status. */
export interface ExitRecord {
  type: 'exit';
  ktime: bigint;
  pid: number;
  tid: number;
  ppid: number;
  uid: number;
  status: number;
  comm: string;
}

/** A signal a process (`pid`/`tid`, the sender) generated for task `target`. */
export interface SignalRecord {
  type: 'signal';
  ktime: bigint;
  pid: number;
  tid: number;
  uid: number;
  target: number;
  sig: number;
  code: number;
  group: number;
  result: number;
  comm: string;
  targetComm: string;
}

/** Everything a bpftrace output line can mean to the source. */
export type BpfRecord =
  | ExecRecord
  | ExitRecord
  | SignalRecord
  | { type: 'lost'; count: number }
  | { type: 'attached'; probes: number }
  | { type: 'ignored' }
  | { type: 'error'; reason: string };

const INT = /^-?\d{1,10}$/;
const KTIME = /^\d{1,20}$/;

/** Parses one line of bpftrace's stdout (without its newline). */
export function parseBpftraceLine(line: string): BpfRecord {
  const text = line.trim();
  if (text === '') return { type: 'ignored' };
  // Text-mode form of the lost-events notice, in case it reaches stdout unformatted.
  const lost = /^Lost (\d+) events$/.exec(text);
  if (lost) return { type: 'lost', count: Number(lost[1]) };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { type: 'error', reason: 'not JSON' };
  }
  return fromJson(value);
}

function fromJson(value: unknown): BpfRecord {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { type: 'error', reason: 'not an object' };
  }
  const { type, data } = value as { type?: unknown; data?: unknown };
  if (type === 'printf') {
    if (typeof data !== 'string') return { type: 'error', reason: 'printf data is not a string' };
    return parsePrintf(data.endsWith('\n') ? data.slice(0, -1) : data);
  }
  if (type === 'lost_events') return { type: 'lost', count: countOf(data, 'events') };
  if (type === 'attached_probes') return { type: 'attached', probes: countOf(data, 'probes') };
  return { type: 'ignored' };
}

// bpftrace 0.17 writes {"events": N} / {"probes": N}; a bare number is accepted as well.
function countOf(data: unknown, key: string): number {
  const n =
    typeof data === 'object' && data !== null ? (data as Record<string, unknown>)[key] : data;
  return typeof n === 'number' && Number.isSafeInteger(n) && n >= 0 ? n : 0;
}

/** Parses the text of one printf line of the program (tag, tab, fields). */
export function parsePrintf(text: string): BpfRecord {
  const tag = text.slice(0, 2);
  if (tag === 'E\t') return parseExec(text);
  if (tag === 'X\t') return parseExit(text.split('\t'));
  if (tag === 'S\t') return parseSignal(text.split('\t'));
  return { type: 'error', reason: 'unknown line tag' };
}

function parseExec(text: string): BpfRecord {
  // The path is the last field and may itself contain tabs: split off the first three only.
  const first = text.indexOf('\t', 2);
  const second = first < 0 ? -1 : text.indexOf('\t', first + 1);
  if (second < 0) return { type: 'error', reason: 'exec line has too few fields' };
  const ktime = text.slice(2, first);
  const pid = text.slice(first + 1, second);
  if (!KTIME.test(ktime) || !INT.test(pid)) return { type: 'error', reason: 'bad exec numbers' };
  return { type: 'exec', ktime: BigInt(ktime), pid: Number(pid), path: text.slice(second + 1) };
}

function parseExit(f: string[]): BpfRecord {
  if (f.length !== 8) return { type: 'error', reason: `exit line has ${f.length} fields, not 8` };
  const n = ints(f.slice(2, 7));
  if (!n || !KTIME.test(f[1] ?? '')) return { type: 'error', reason: 'bad exit numbers' };
  const [pid, tid, ppid, uid, status] = n as [number, number, number, number, number];
  const comm = unescapeBuf(f[7] ?? '');
  return { type: 'exit', ktime: BigInt(f[1] ?? '0'), pid, tid, ppid, uid, status, comm };
}

function parseSignal(f: string[]): BpfRecord {
  if (f.length !== 12)
    return { type: 'error', reason: `signal line has ${f.length} fields, not 12` };
  const n = ints(f.slice(2, 10));
  if (!n || !KTIME.test(f[1] ?? '')) return { type: 'error', reason: 'bad signal numbers' };
  const [pid, tid, uid, target, sig, code, group, result] = n as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return {
    type: 'signal',
    ktime: BigInt(f[1] ?? '0'),
    ...{ pid, tid, uid, target, sig, code, group, result },
    comm: unescapeBuf(f[10] ?? ''),
    targetComm: unescapeBuf(f[11] ?? ''),
  };
}

function ints(fields: string[]): number[] | null {
  const out: number[] = [];
  for (const f of fields) {
    if (!INT.test(f)) return null;
    out.push(Number(f));
  }
  return out;
}

/**
 * Undoes bpftrace's `%r` escaping of a fixed-size buffer: `\xNN` becomes the byte, the text
 * ends at the first NUL (the buffer's padding), and the bytes are read as UTF-8. `%r` does not
 * escape a backslash, so a comm that literally contains `\x41` reads back as `A`; comms are
 * chosen by the process and are a hint, never proof.
 */
export function unescapeBuf(text: string): string {
  // With a capture group, split puts each escape's hex digits at the odd indexes.
  const parts = text.split(/\\x([0-9a-fA-F]{2})/);
  const bytes = Buffer.concat(
    parts.map((p, i) => (i % 2 === 1 ? Buffer.from([parseInt(p, 16)]) : Buffer.from(p, 'utf8'))),
  );
  const end = bytes.indexOf(0);
  return bytes.subarray(0, end < 0 ? bytes.length : end).toString('utf8');
}
