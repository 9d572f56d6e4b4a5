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

/**
 * The facts of a macOS audit token (libbsm's audit_token_to_* accessors); a word that is not
 * an integer in its range is null.
 */
export interface AuditToken {
  auid: number | null;
  euid: number | null;
  egid: number | null;
  ruid: number | null;
  rgid: number | null;
  pid: number | null;
  asid: number | null;
  pidversion: number | null;
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

/** Problems with one message's values: each made a column null. */
export type Warnings = string[];

const UINT32_MAX = 4294967295;
const PID_MAX = 2147483647; // pid_t is a 32-bit int
const SIGNAL_MAX = 64;

/**
 * An integer JSON value in [min, max]; null when absent, and null plus a warning naming
 * `what` when present but fractional, out of range or not a number (a row column must never
 * hold 1.5 or 1e300).
 */
function int(
  value: unknown,
  what: string,
  min: number,
  max: number,
  warn: Warnings,
): number | null {
  if (value === undefined || value === null) return null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= min && value <= max) {
    return value;
  }
  warn.push(`${what}: expected an integer in ${min}..${max}, got ${clipValue(value)}`);
  return null;
}

function clipValue(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

/**
 * An audit token in either encoding eslogger uses: an object of named fields, or (message
 * version 10 and later, in some builds) an array of the eight words. Null for anything else.
 */
export function auditTokenOf(value: unknown, warn: Warnings = []): AuditToken | null {
  const raw = Array.isArray(value)
    ? TOKEN_WORDS.map((_, i) => value[i] as unknown)
    : isObj(value)
      ? TOKEN_WORDS.map((name) => value[name])
      : null;
  if (raw === null || raw.some((w) => w === undefined || w === null)) return null;
  const token = {} as AuditToken;
  TOKEN_WORDS.forEach((name, i) => {
    const max = name === 'pid' ? PID_MAX : UINT32_MAX;
    token[name] = int(raw[i], `audit_token.${name}`, 0, max, warn);
  });
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

function processFacts(process: unknown, warn: Warnings): ProcessFacts {
  const p = isObj(process) ? process : {};
  const token = auditTokenOf(p['audit_token'], warn);
  const executable = isObj(p['executable']) ? p['executable'] : {};
  const path = typeof executable['path'] === 'string' ? executable['path'] : null;
  return {
    pid: token?.pid ?? null,
    path,
    name: path === null ? null : (path.split('/').pop() ?? null) || null,
    parent: int(p['ppid'], 'ppid', 0, PID_MAX, warn),
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

/**
 * A parsed line: its global sequence number (for loss counting), its row, if any, and the
 * values that were unusable (their columns are null).
 */
export interface EsParsed {
  seq: number | null;
  row: Termination | null;
  warnings: Warnings;
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
  const warnings: Warnings = [];
  const seq = int(doc['global_seq_num'], 'global_seq_num', 0, Number.MAX_SAFE_INTEGER, warnings);
  const event = doc['event'];
  if (!isObj(event['exit']) && !isObj(event['signal'])) return { seq, row: null, warnings };
  const base = emptyTermination({
    time: messageTime(doc['time']),
    ingest_time: ingestTime,
    eid: eidOf(doc, line, seq),
    kind: 'exit',
    source: 'eslogger',
  });
  const row = isObj(event['exit'])
    ? exitRow(base, doc['process'], event['exit'], warnings)
    : signalRow(base, doc['process'], event['signal'] as Obj, warnings);
  return { seq, row, warnings };
}

/** eslogger's time: ISO 8601 in UTC or with an offset, fraction optional (nanoseconds). */
const ISO_TIME = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

function messageTime(value: unknown): number {
  // Only a full timestamp: Date.parse alone reads "1" as the year 2001.
  const m = typeof value === 'string' ? ISO_TIME.exec(value) : null;
  const ms = m ? Date.parse(`${m[1]}${m[2]}`) : NaN;
  if (!Number.isFinite(ms)) throw new EsFormatError('expected an ISO 8601 "time"');
  return Math.floor(ms / 1000);
}

/**
 * `es:<mach_time>:<global_seq_num>`. The sequence number alone restarts with every eslogger
 * process; mach_time (ticks since boot) keeps ids apart across restarts. Its digits are taken
 * from the text, since JSON numbers past 2^53 lose precision.
 */
function eidOf(doc: Obj, line: string, seq: number | null): string {
  if (seq === null) throw new EsFormatError('expected an integer "global_seq_num"');
  const mach = /"mach_time"\s*:\s*(\d+)/.exec(line)?.[1] ?? num(doc['mach_time']);
  return mach === null ? `es:${seq}` : `es:${mach}:${seq}`;
}

/** exit: `stat` is a wait(2) status of the exiting process, which is also the actor. */
function exitRow(base: Termination, process: unknown, exit: Obj, warn: Warnings): Termination {
  if (num(exit['stat']) === null) throw new EsFormatError('expected a numeric event.exit.stat');
  // A wait(2) status is a 32-bit int.
  const stat = int(exit['stat'], 'event.exit.stat', -2147483648, 2147483647, warn);
  const facts = processFacts(process, warn);
  const row: Termination = { ...base, ...facts, ...asActor(facts) };
  if (stat === null) return row;
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
function signalRow(base: Termination, process: unknown, signal: Obj, warn: Warnings): Termination {
  if (num(signal['sig']) === null) throw new EsFormatError('expected a numeric event.signal.sig');
  const sig = int(signal['sig'], 'event.signal.sig', 1, SIGNAL_MAX, warn);
  const actor = isObj(signal['instigator']) ? signal['instigator'] : process;
  return {
    ...base,
    ...processFacts(signal['target'], warn),
    ...asActor(processFacts(actor, warn)),
    kind: 'signal',
    signal: sig,
    signal_name: sig === null ? null : signalName(sig, 'darwin'),
  };
}
