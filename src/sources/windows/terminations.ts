import { emptyTermination, type Termination } from '../../model/termination';
import { utcSeconds } from './win-time';
import { canonicalChannel, field, present, WinFormatError, type WinEvent } from './win-event';

/**
 * Turns Windows events into `process_terminations` rows: Security 4689 (a process has exited),
 * Sysmon 5 (process terminated) and System 7036 (a service entered the stopped state). Every
 * other event, and 7036 for any other state, gives no row.
 */

// SERVICE_STOPPED in the SCM's state codes (winsvc.h); 4 is SERVICE_RUNNING.
const SERVICE_STOPPED = 1;

/** The row for one event, null when the event is not a termination. */
export function terminationOf(event: WinEvent, ingestTime: number): Termination | null {
  const provider = (event.provider ?? '').toLowerCase();
  const channel = canonicalChannel(event.channel);
  if (
    event.eventId === 4689 &&
    (provider.includes('security-auditing') || channel === 'Security')
  ) {
    return securityExit(event, ingestTime);
  }
  if (event.eventId === 5 && (provider.includes('sysmon') || channel?.includes('Sysmon'))) {
    return sysmonExit(event, ingestTime);
  }
  if (event.eventId === 7036 && (provider === 'service control manager' || channel === 'System')) {
    return serviceStop(event, ingestTime);
  }
  return null;
}

/** `win:<computer>:<channel>:<record id>`, or the input's digest when it has no record id. */
export function eidOf(event: WinEvent): string {
  const id = event.recordId ?? `h${event.digest}`;
  return `win:${event.computer ?? '-'}:${canonicalChannel(event.channel) ?? '-'}:${id}`;
}

function base(
  event: WinEvent,
  ingestTime: number,
  time: number | null,
  kind: Termination['kind'],
  source: string,
): Termination {
  if (time === null) throw new WinFormatError('expected an event time (System/TimeCreated)');
  return emptyTermination({ time, ingest_time: ingestTime, eid: eidOf(event), kind, source });
}

/** Security 4689: hex ProcessId and Status, the Subject is the exiting process's account. */
function securityExit(event: WinEvent, ingestTime: number): Termination {
  const row = base(event, ingestTime, event.time, 'exit', 'windows_security');
  const pid = parseNumber(field(event, 'ProcessId', 'Process ID'));
  const path = present(field(event, 'ProcessName', 'Process Name'));
  const user = subjectUser(event);
  return {
    ...row,
    pid,
    path,
    name: basename(path),
    exit_code: parseNumber(field(event, 'Status', 'Exit Status')),
    user,
    actor_pid: pid,
    actor_path: path,
    actor_name: basename(path),
    actor_user: user,
  };
}

/** `DOMAIN\user`, the bare name without a domain, or the SID when there is no name. */
function subjectUser(event: WinEvent): string | null {
  const name = present(field(event, 'SubjectUserName', 'Account Name'));
  const domain = present(field(event, 'SubjectDomainName', 'Account Domain'));
  if (name !== null) return domain !== null ? `${domain}\\${name}` : name;
  return present(field(event, 'SubjectUserSid', 'Security ID'));
}

/** Sysmon 5: decimal ProcessId, UtcTime as the event time, User only in newer schemas. */
function sysmonExit(event: WinEvent, ingestTime: number): Termination {
  const time = utcSeconds(present(field(event, 'UtcTime'))) ?? event.time;
  const row = base(event, ingestTime, time, 'exit', 'sysmon');
  const pid = parseNumber(field(event, 'ProcessId'));
  const path = present(field(event, 'Image'));
  const user = present(field(event, 'User'));
  return {
    ...row,
    pid,
    path,
    name: basename(path),
    user,
    process_guid: present(field(event, 'ProcessGuid')),
    actor_pid: pid,
    actor_path: path,
    actor_name: basename(path),
    actor_user: user,
  };
}

/** System 7036: a row only when the service entered the stopped state. */
function serviceStop(event: WinEvent, ingestTime: number): Termination | null {
  const coded = event.binary === null ? null : serviceStateOf(event.binary);
  // param2 is the state's localized name; only the English word can be trusted without Binary.
  const stopped = coded
    ? coded.state === SERVICE_STOPPED
    : present(field(event, 'param2'))?.toLowerCase() === 'stopped';
  if (!stopped) return null;
  const service = present(field(event, 'param1')) ?? coded?.key ?? null;
  return { ...base(event, ingestTime, event.time, 'service_stop', 'windows_system'), service };
}

/**
 * The 7036 Binary payload: UTF-16LE `<service key name>/<state code>` with a final NUL,
 * rendered as hex by wevtutil and as base64 by python-evtx. Null when it is neither.
 */
export function serviceStateOf(binary: string): { key: string; state: number } | null {
  const text = binary.trim();
  const candidates = /^(?:[0-9a-fA-F]{2})+$/.test(text) ? ['hex', 'base64'] : ['base64'];
  for (const encoding of candidates) {
    const decoded = Buffer.from(text, encoding as BufferEncoding).toString('utf16le');
    const m = /^([^/\0]+)\/(\d+)\0*$/.exec(decoded);
    if (m?.[1] && m[2]) return { key: m[1], state: Number(m[2]) };
  }
  return null;
}

/** `0x1a74` (hex, as 4689 writes pids and statuses) or decimal; unsigned; null otherwise. */
export function parseNumber(text: string | null): number | null {
  const t = present(text);
  if (t === null) return null;
  const n = /^0x[0-9a-f]+$/i.test(t) ? parseInt(t.slice(2), 16) : /^\d+$/.test(t) ? Number(t) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

/** The file name of a Windows (or POSIX) path. */
export function basename(path: string | null): string | null {
  if (path === null) return null;
  const name = path.split(/[\\/]/).pop();
  return name ? name : null;
}
