import { emptyTermination, type Termination } from '../../model/termination';
import { dumpsCore, signalName } from '../../model/signals';

/**
 * Turns one `eslogger exit signal` JSON line (an EndpointSecurity es_message_t) into a row.
 * `exit` messages (ES_EVENT_TYPE_NOTIFY_EXIT) give `exit`, or `crash` for a death by a
 * core-dumping signal; `signal` messages (ES_EVENT_TYPE_NOTIFY_SIGNAL) give `signal`. Other
 * event types give no row. Signal numbers are Darwin's.
 */

/** Input that is not an eslogger message; the message says what was expected. */
export class EsFormatError extends Error {
  override readonly name = 'EsFormatError';
}

/** The facts of a macOS audit token (libbsm's audit_token_to_* accessors). */
export interface AuditToken {
  auid: number;
  euid: number;
  egid: number;
  ruid: number;
  rgid: number;
  pid: number;
  asid: number;
  pidversion: number;
}

// audit_token_t is eight 32-bit words; libbsm reads them in this order (val[0]..val[7]).
const TOKEN_WORDS = ['auid', 'euid', 'egid', 'ruid', 'rgid', 'pid', 'asid', 'pidversion'] as const;

// AU_DEFAUDITID: the audit user id of a process no login session has claimed.
const AUID_UNSET = 4294967295;

type Obj = Record<string, unknown>;

function isObj(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function num(value: unknown): number | null {
  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

/**
 * An audit token in either encoding eslogger uses: an object of named fields, or (message
 * version 10 and later, in some builds) an array of the eight words. Null for anything else.
 */
export function auditTokenOf(value: unknown): AuditToken | null {
  const words = Array.isArray(value)
    ? TOKEN_WORDS.map((_, i) => num(value[i]))
    : isObj(value)
      ? TOKEN_WORDS.map((name) => num(value[name]))
      : null;
  if (words === null || words.some((w) => w === null)) return null;
  const token = {} as AuditToken;
  TOKEN_WORDS.forEach((name, i) => (token[name] = words[i] as number));
  return token;
}

/** Target or actor facts of an es_process_t, as row columns without a prefix. */
interface ProcessFacts {
  pid: number | null;
  path: string | null;
  name: string | null;
  parent: number | null;
  uid: number | null;
  auid: number | null;
}

function processFacts(process: unknown): ProcessFacts {
  const p = isObj(process) ? process : {};
  const token = auditTokenOf(p['audit_token']);
  const executable = isObj(p['executable']) ? p['executable'] : {};
  const path = typeof executable['path'] === 'string' ? executable['path'] : null;
  return {
    pid: token?.pid ?? null,
    path,
    name: path === null ? null : (path.split('/').pop() ?? null) || null,
    parent: num(p['ppid']),
    uid: token?.ruid ?? null,
    auid: token === null || token.auid === AUID_UNSET ? null : token.auid,
  };
}

function asActor(facts: ProcessFacts): Partial<Termination> {
  return {
    actor_pid: facts.pid,
    actor_path: facts.path,
    actor_name: facts.name,
    actor_uid: facts.uid,
    actor_auid: facts.auid,
  };
}

/** A parsed line: its global sequence number (for loss counting) and its row, if any. */
export interface EsParsed {
  seq: number | null;
  row: Termination | null;
}

/** Parses one line. Throws EsFormatError when it is not an eslogger JSON message. */
export function parseEsloggerLine(line: string, ingestTime: number): EsParsed {
  let doc: unknown;
  try {
    doc = JSON.parse(line);
  } catch {
    throw new EsFormatError('expected one eslogger JSON message per line');
  }
  if (!isObj(doc) || !isObj(doc['event'])) {
    throw new EsFormatError('expected an eslogger message with an "event" object');
  }
  const seq = num(doc['global_seq_num']);
  const event = doc['event'];
  if (!isObj(event['exit']) && !isObj(event['signal'])) return { seq, row: null };
  const base = emptyTermination({
    time: messageTime(doc['time']),
    ingest_time: ingestTime,
    eid: eidOf(doc, line, seq),
    kind: 'exit',
    source: 'eslogger',
  });
  const row = isObj(event['exit'])
    ? exitRow(base, doc['process'], event['exit'])
    : signalRow(base, doc['process'], event['signal'] as Obj);
  return { seq, row };
}

function messageTime(value: unknown): number {
  // ISO 8601 with nanoseconds; Date.parse reads at most milliseconds.
  const ms = typeof value === 'string' ? Date.parse(value.replace(/(\.\d{3})\d+/, '$1')) : NaN;
  if (!Number.isFinite(ms)) throw new EsFormatError('expected an ISO 8601 "time"');
  return Math.floor(ms / 1000);
}

/**
 * `es:<mach_time>:<global_seq_num>`. The sequence number alone restarts with every eslogger
 * process; mach_time (ticks since boot) keeps ids apart across restarts. Its digits are taken
 * from the text, since JSON numbers past 2^53 lose precision.
 */
function eidOf(doc: Obj, line: string, seq: number | null): string {
  if (seq === null) throw new EsFormatError('expected a numeric "global_seq_num"');
  const mach = /"mach_time"\s*:\s*(\d+)/.exec(line)?.[1] ?? num(doc['mach_time']);
  return mach === null ? `es:${seq}` : `es:${mach}:${seq}`;
}

/** exit: `stat` is a wait(2) status of the exiting process, which is also the actor. */
function exitRow(base: Termination, process: unknown, exit: Obj): Termination {
  const stat = num(exit['stat']);
  if (stat === null) throw new EsFormatError('expected a numeric event.exit.stat');
  const facts = processFacts(process);
  const row: Termination = { ...base, ...facts, ...asActor(facts) };
  const termsig = stat & 0x7f;
  if (termsig === 0) return { ...row, exit_code: (stat >> 8) & 0xff };
  if (termsig === 0x7f) return row; // a stopped status: no exit code and no signal to report
  const cored = (stat & 0x80) !== 0 || dumpsCore(termsig, 'darwin');
  return {
    ...row,
    kind: cored ? 'crash' : 'exit',
    signal: termsig,
    signal_name: signalName(termsig, 'darwin'),
  };
}

/**
 * signal: `target` receives it; the actor is the instigator when the message names one
 * (version 9 and later, for signals launchd sends on another process's behalf), else the
 * sending process.
 */
function signalRow(base: Termination, process: unknown, signal: Obj): Termination {
  const sig = num(signal['sig']);
  if (sig === null) throw new EsFormatError('expected a numeric event.signal.sig');
  const actor = isObj(signal['instigator']) ? signal['instigator'] : process;
  return {
    ...base,
    ...processFacts(signal['target']),
    ...asActor(processFacts(actor)),
    kind: 'signal',
    signal: sig,
    signal_name: signalName(sig, 'darwin'),
  };
}
