import { emptyTermination, type Termination, type TerminationKind } from '../model/termination';
import { signalName } from '../model/signals';
import { stampText, type AuditEvent, type StoredRecord } from './event';
import { hexToInt32 } from './hex';
import { fieldValue, parseFields } from './parse-record';
import { RecordType } from './record-types';
import type { TerminationSyscall } from './syscalls';

/**
 * Turning one complete audit event into `process_terminations` rows. Mapping (docs/audit.md):
 * exit/exit_group give one `exit` row for the calling process; the signal calls give one
 * `signal` row per OBJ_PID target (or the pid argument when the kernel logged none); ANOM_ABEND
 * gives a `crash`; SERVICE_STOP a `service_stop`. Anything else gives no row.
 */
export interface InterpretContext {
  readonly source: string;
  /** Unix seconds for `ingest_time`. */
  readonly ingestTime: number;
}

/** Where each signal call keeps its target and signal: argument indexes a0..a3. */
const SIGNAL_ARGS: Readonly<
  Record<
    Exclude<TerminationSyscall, 'exit' | 'exit_group'>,
    {
      readonly target: number | null;
      readonly sig: number;
    }
  >
> = {
  kill: { target: 0, sig: 1 },
  tkill: { target: 0, sig: 1 },
  tgkill: { target: 0, sig: 2 }, // a0 is the thread group (the process), a1 the thread
  rt_sigqueueinfo: { target: 0, sig: 1 },
  rt_tgsigqueueinfo: { target: 0, sig: 2 },
  pidfd_send_signal: { target: null, sig: 1 }, // a0 is a descriptor, not a pid
};

const ARGS = ['a0', 'a1', 'a2', 'a3'] as const;

/** The rows of one complete event, in record order; empty for events that are not terminations. */
export function interpretEvent(event: AuditEvent, ctx: InterpretContext): Termination[] {
  if (event.single !== undefined) return interpretSingle(event, event.single, ctx);
  if (event.syscall === undefined || event.syscallRecord === undefined) return [];
  const f = fieldsOf(event.syscallRecord);
  if (event.syscall === 'exit' || event.syscall === 'exit_group') {
    return [exitRow(event, f, ctx)];
  }
  return signalRows(event, event.syscall, f, ctx);
}

/** Reads one field of a record by name; undefined when absent, null when unknown. */
type Get = (key: string) => string | null | undefined;

function fieldsOf(record: StoredRecord): Get {
  const { line, start } = record;
  if (record.type === RecordType.SERVICE_STOP) {
    // User-space messages nest their fields in msg='...': split them all.
    const fields = parseFields(line, start, record.type);
    return (key) => fields[key];
  }
  const separator = line.indexOf('\x1d', start);
  return (key) => fieldValue(line, start, key, separator);
}

/**
 * A row with every fact unset. Written out rather than built with `emptyTermination()`, whose
 * object spread costs tens of microseconds a call on Node 20 (this is the hot path); keys are
 * in table order.
 */
function base(
  event: AuditEvent,
  n: number,
  kind: TerminationKind,
  ctx: InterpretContext,
): Termination {
  return emptyTermination({
    time: event.sec,
    ingest_time: ctx.ingestTime,
    eid: `audit:${event.node}:${stampText(event.sec, event.msec)}:${event.serial}:${n}`,
    kind,
    source: ctx.source,
  });
}

/** The calling process of a SYSCALL (or the writer of a user message) as the actor. */
function setActor(row: Termination, f: Get): void {
  row.actor_pid = toInt(f('pid'));
  row.actor_path = f('exe') ?? null;
  row.actor_name = f('comm') ?? null;
  row.actor_uid = toId(f('uid'));
  row.actor_auid = toId(f('auid'));
  row.actor_user = userName(f('UID'));
}

function exitRow(event: AuditEvent, f: Get, ctx: InterpretContext): Termination {
  const row = base(event, 0, 'exit', ctx);
  row.pid = toInt(f('pid'));
  row.parent = toInt(f('ppid'));
  row.path = f('exe') ?? null;
  row.name = f('comm') ?? null;
  row.uid = toId(f('uid'));
  row.auid = toId(f('auid'));
  row.user = userName(f('UID'));
  row.cmdline = event.proctitle ? (fieldsOf(event.proctitle)('proctitle') ?? null) : null;
  // The int the program passed to exit(); a parent's wait() sees only its low 8 bits.
  row.exit_code = hexArg(f('a0'));
  row.syscall = event.syscall ?? null;
  // The exiting process is its own actor.
  row.actor_pid = row.pid;
  row.actor_path = row.path;
  row.actor_name = row.name;
  row.actor_uid = row.uid;
  row.actor_auid = row.auid;
  row.actor_user = row.user;
  return row;
}

function signalRows(
  event: AuditEvent,
  call: keyof typeof SIGNAL_ARGS,
  f: Get,
  ctx: InterpretContext,
): Termination[] {
  const args = SIGNAL_ARGS[call];
  const sig = hexArg(f(ARGS[args.sig] as string));
  if (sig === 0) return []; // signal 0 only probes that the target exists
  const said = f('success');
  const success = said === 'yes' ? 1 : said === 'no' ? 0 : null;
  const make = (n: number): Termination => {
    const row = base(event, n, 'signal', ctx);
    row.signal = sig;
    row.signal_name = sig === null ? null : signalName(sig);
    row.syscall = call;
    row.success = success;
    setActor(row, f);
    return row;
  };
  if (event.objPids.length === 0) {
    const row = make(0);
    row.pid = args.target === null ? null : hexArg(f(ARGS[args.target] as string));
    return [row];
  }
  return event.objPids.map((record, n) => {
    const o = fieldsOf(record);
    const row = make(n);
    row.pid = toInt(o('opid'));
    row.name = o('ocomm') ?? null;
    row.uid = toId(o('ouid'));
    row.auid = toId(o('oauid'));
    row.user = userName(o('OUID'));
    return row;
  });
}

function interpretSingle(
  event: AuditEvent,
  record: StoredRecord,
  ctx: InterpretContext,
): Termination[] {
  const f = fieldsOf(record);
  if (record.type === RecordType.ANOM_ABEND) {
    const row = base(event, 0, 'crash', ctx);
    row.pid = toInt(f('pid'));
    row.path = f('exe') ?? null;
    row.name = f('comm') ?? null;
    row.uid = toId(f('uid'));
    row.auid = toId(f('auid'));
    row.user = userName(f('UID'));
    row.signal = toInt(f('sig'));
    row.signal_name = row.signal === null ? null : signalName(row.signal);
    return [row];
  }
  if (record.type === RecordType.SERVICE_STOP) {
    const row = base(event, 0, 'service_stop', ctx);
    row.service = f('unit') ?? null;
    row.success = f('res') === 'success' ? 1 : f('res') === 'failed' ? 0 : null;
    setActor(row, f);
    return [row];
  }
  return [];
}

/** A hex register argument as the signed int the kernel reads; null when absent or not hex. */
function hexArg(value: string | null | undefined): number | null {
  return value ? hexToInt32(value) : null;
}

/**
 * A decimal field (pid, uid, sig...) as audit writes it: an optional minus and 1 to 15 digits
 * (always a safe integer). Anything else (`0x10`, `1e3`, `Infinity`, 20 digits) is null, which
 * JavaScript's Number() would have read as a number. A loop over the characters: a regular
 * expression test here showed in replay profiles (several calls per row).
 */
export function toInt(value: string | null | undefined): number | null {
  if (!value) return null;
  const minus = value.charCodeAt(0) === 45 ? 1 : 0;
  const n = value.length;
  if (n === minus || n - minus > 15) return null;
  let v = 0;
  for (let i = minus; i < n; i++) {
    const d = value.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return null;
    v = v * 10 + d;
  }
  return minus === 1 ? -v : v;
}

/** A uid/auid: null when unset (4294967295, or -1 as OBJ_PID writes it). */
function toId(value: string | null | undefined): number | null {
  const n = toInt(value);
  return n === null || n < 0 || n === 4294967295 ? null : n;
}

/** An ENRICHED user name; "unset" (auid never set) and "unknown(N)" (no passwd entry) are none. */
function userName(value: string | null | undefined): string | null {
  return value && value !== 'unset' && !value.startsWith('unknown(') ? value : null;
}
