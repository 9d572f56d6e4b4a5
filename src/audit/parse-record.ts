import { decodeHex, isHexField, isUpperHex } from './hex';
import { RecordType, recordTypeNumber } from './record-types';

/**
 * Reading one audit log line: `[node=N ]type=T msg=audit(SEC.MS:SERIAL): k=v ...`, optionally
 * followed by a 0x1D byte and auditd's ENRICHED fields (`ARCH=x86_64 SYSCALL=kill UID="root"`).
 * The header is read first and cheaply ({@link parseHeader}) so records that cannot matter are
 * skipped before their fields are split ({@link parseFields}).
 */

/** The header of one record, filled in place by {@link parseHeader} to avoid allocation. */
export interface RecordHeader {
  /** `node=` value, '' when absent. */
  node: string;
  /** Record type number; 0 when the name is unknown. */
  type: number;
  /** Event time: whole seconds and milliseconds. */
  sec: number;
  msec: number;
  serial: number;
  /** Index in the line where the fields start (after `):` and spaces). */
  bodyStart: number;
}

/** A fresh header to pass to {@link parseHeader}. */
export function newHeader(): RecordHeader {
  return { node: '', type: 0, sec: 0, msec: 0, serial: 0, bodyStart: 0 };
}

const SPACE = 32;
const TAB = 9;
/** Group separator: auditd's ENRICHED format puts it before the interpreted fields. */
export const ENRICHED_SEPARATOR = 0x1d;

/**
 * Reads the header of `line` into `out`. False when the line is not an audit record (no
 * `type=` or no `audit(SEC.MS:SERIAL)` stamp); lines forwarded by syslog with a prefix before
 * `node=`/`type=` are accepted.
 */
export function parseHeader(line: string, out: RecordHeader): boolean {
  let i = 0;
  if (!line.startsWith('node=') && !line.startsWith('type=')) {
    const node = line.indexOf(' node=');
    const type = line.indexOf(' type=');
    i = (node >= 0 && (type < 0 || node < type) ? node : type) + 1;
    if (i === 0) return false;
  }
  out.node = '';
  if (line.startsWith('node=', i)) {
    const end = tokenEnd(line, i + 5);
    out.node = line.slice(i + 5, end);
    i = skipSpaces(line, end);
  }
  if (!line.startsWith('type=', i)) return false;
  const typeEnd = tokenEnd(line, i + 5);
  out.type = typeAt(line, i + 5, typeEnd);
  const stamp = line.indexOf('audit(', typeEnd);
  if (stamp < 0) return false;
  return parseStamp(line, stamp + 6, out);
}

/** The types most lines have, matched in place: no string is cut for them. */
const COMMON_TYPES: ReadonlyArray<readonly [string, number]> = [
  ['SYSCALL', RecordType.SYSCALL],
  ['PATH', RecordType.PATH],
  ['PROCTITLE', RecordType.PROCTITLE],
  ['CWD', RecordType.CWD],
  ['EXECVE', RecordType.EXECVE],
  ['BPRM_FCAPS', RecordType.BPRM_FCAPS],
  ['OBJ_PID', RecordType.OBJ_PID],
  ['EOE', RecordType.EOE],
  ['SOCKADDR', RecordType.SOCKADDR],
];

function typeAt(line: string, start: number, end: number): number {
  const length = end - start;
  for (const [name, type] of COMMON_TYPES) {
    if (name.length === length && line.startsWith(name, start)) return type;
  }
  return recordTypeNumber(line.slice(start, end));
}

/** `SEC.MS:SERIAL):` from `i`; sets time, serial and bodyStart. */
function parseStamp(line: string, i: number, out: RecordHeader): boolean {
  const n = line.length;
  let sec = 0;
  let digits = 0;
  let c = 0;
  for (; i < n && (c = line.charCodeAt(i)) >= 48 && c <= 57; i++, digits++) sec = sec * 10 + c - 48;
  if (digits === 0 || digits > 15 || c !== 46) return false;
  let msec = 0;
  let scale = 100;
  for (i++, digits = 0; i < n && (c = line.charCodeAt(i)) >= 48 && c <= 57; i++, digits++) {
    msec += (c - 48) * scale;
    scale /= 10;
  }
  if (digits === 0 || c !== 58) return false;
  let serial = 0;
  for (i++, digits = 0; i < n && (c = line.charCodeAt(i)) >= 48 && c <= 57; i++, digits++) {
    serial = serial * 10 + c - 48;
  }
  if (digits === 0 || digits > 15 || c !== 41) return false;
  i++;
  if (i < n && line.charCodeAt(i) === 58) i++;
  out.sec = sec;
  out.msec = Math.floor(msec);
  out.serial = serial;
  out.bodyStart = skipSpaces(line, i);
  return true;
}

function tokenEnd(line: string, i: number): number {
  const n = line.length;
  while (i < n) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === ENRICHED_SEPARATOR) break;
    i++;
  }
  return i;
}

function skipSpaces(line: string, i: number): number {
  const n = line.length;
  while (i < n && (line.charCodeAt(i) === SPACE || line.charCodeAt(i) === TAB)) i++;
  return i;
}

/**
 * Field values by name. Quoted values are kept as written; unquoted hex of fields audit
 * hex-encodes is decoded; `?`, `(null)` and `(none)` are null. Raw fields come first, so an
 * ENRICHED field never hides one (its names are uppercase anyway). The first of two equal
 * names wins. A `msg='...'` value (user-space messages) is opened and its fields added.
 */
export type Fields = Record<string, string | null>;

/**
 * Splits the fields of a record from `start` (a header's `bodyStart`); `type` tells EXECVE
 * arguments (hex-encoded text) from SYSCALL arguments (hex numbers). Never throws.
 */
export function parseFields(line: string, start: number, type: number): Fields {
  const fields: Fields = Object.create(null) as Fields;
  scanFields(line, start, line.length, type === RecordType.EXECVE, fields);
  return fields;
}

function scanFields(line: string, i: number, end: number, argv: boolean, out: Fields): void {
  let enriched = false;
  while (i < end) {
    const c = line.charCodeAt(i);
    if (c === SPACE || c === TAB || c === ENRICHED_SEPARATOR) {
      if (c === ENRICHED_SEPARATOR) enriched = true;
      i++;
      continue;
    }
    const keyStart = i;
    while (i < end && !isFieldBreak(line.charCodeAt(i)) && line.charCodeAt(i) !== 61) i++;
    if (i >= end || line.charCodeAt(i) !== 61) continue; // a word without '=' (AVC text)
    const key = line.slice(keyStart, i);
    i = readValue(line, i + 1, end, key, argv && !enriched, enriched, out);
  }
}

function isFieldBreak(c: number): boolean {
  return c === SPACE || c === TAB || c === ENRICHED_SEPARATOR;
}

/** Reads the value of `key` starting at `i`; returns the index after it. */
function readValue(
  line: string,
  i: number,
  end: number,
  key: string,
  argv: boolean,
  enriched: boolean,
  out: Fields,
): number {
  const open = i < end ? line.charCodeAt(i) : 0;
  if (open === 34 /* " */) {
    let close = line.indexOf('"', i + 1);
    if (close < 0 || close > end) close = end;
    if (!(key in out)) out[key] = line.slice(i + 1, close);
    return close + 1;
  }
  if (open === 39 /* ' */ && key === 'msg') {
    // A user-space message's own fields; the last quote before the end closes it, since
    // inner values may themselves be quoted.
    let rawEnd = line.indexOf('\x1d', i);
    if (rawEnd < 0 || rawEnd > end) rawEnd = end;
    let close = line.lastIndexOf("'", rawEnd - 1);
    if (close <= i) close = rawEnd;
    scanFields(line, i + 1, close, false, out);
    return close + 1;
  }
  let stop = i;
  while (stop < end && !isFieldBreak(line.charCodeAt(stop))) stop++;
  if (!(key in out)) out[key] = unquoted(line.slice(i, stop), key, argv, enriched);
  return stop;
}

function unquoted(raw: string, key: string, argv: boolean, enriched: boolean): string | null {
  if (raw === '?' || raw === '(null)' || raw === '(none)') return null;
  if (!enriched && isHexField(key, argv) && isUpperHex(raw)) return decodeHex(raw);
  return raw;
}

/** `k=`, ` k=` and `<GS>k=` for a key: made once per key name. */
const patterns = new Map<string, readonly [string, string, string]>();

function patternsOf(key: string): readonly [string, string, string] {
  let p = patterns.get(key);
  if (p === undefined) {
    p = [`${key}=`, ` ${key}=`, `\x1d${key}=`];
    patterns.set(key, p);
  }
  return p;
}

/**
 * The value of one field, found by a native substring search without cutting out the other
 * fields: the same value {@link parseFields} gives for `key`, or undefined when absent. For
 * kernel records, whose quoted values hold no spaces (audit hex-encodes those) and which have
 * no nested `msg='...'`. A JavaScript loop over every character of a long SYSCALL record costs
 * several times more than a dozen of these searches. `separator` is the index of the ENRICHED
 * separator (0x1D) or -1 when there is none after `start`: fields after it are not
 * hex-decoded.
 */
export function fieldValue(
  line: string,
  start: number,
  key: string,
  separator: number,
): string | null | undefined {
  const [bare, spaced, grouped] = patternsOf(key);
  let at = start;
  if (!line.startsWith(bare, start)) {
    at = line.indexOf(spaced, start);
    // No separator after `start` (most logs): no `<GS>k=` either, so skip that scan.
    if (at < 0 && separator >= 0) at = line.indexOf(grouped, start);
    if (at < 0) return undefined;
    at++;
  }
  const i = at + bare.length;
  const enriched = separator >= 0 && at > separator;
  if (line.charCodeAt(i) === 34 /* " */) {
    const close = line.indexOf('"', i + 1);
    return line.slice(i + 1, close < 0 ? line.length : close);
  }
  let stop = line.indexOf(' ', i);
  if (stop < 0) stop = line.length;
  if (separator > i && separator < stop) stop = separator;
  return unquoted(line.slice(i, stop), key, false, enriched);
}
