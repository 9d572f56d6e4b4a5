import type { RecordHeader } from './parse-record';
import { RecordType, recordTypeNumber } from './record-types';
import { knownArch, terminationSyscall, type TerminationSyscall } from './syscalls';

/**
 * Reading audit records straight from the bytes of an ASCII chunk, so the records that can
 * never give a row (PATH, CWD, EXECVE, ... and SYSCALL records of other calls: most lines of a
 * log) are assembled without ever being decoded to a string. Only the plain layout
 * `[node=N ]type=T msg=audit(SEC.MS:SERIAL): ...` is read here; any other line is left to the
 * string parser (parse-record.ts), which gives the same result for the lines read here.
 */

/** How a record's text is reached by the assembler: decoded only when it is kept. */
export interface RecordText {
  /** The whole line as text. */
  line(): string;
  /** The termination call a SYSCALL record names, or undefined when it names another. */
  syscall(h: RecordHeader): TerminationSyscall | undefined;
}

const SPACE = 32;
const TAB = 9;
const GS = 0x1d;

function ascii(text: string): Uint8Array {
  return Uint8Array.from(text, (c) => c.charCodeAt(0));
}

const NODE = ascii('node=');
const TYPE = ascii('type=');
const MSG = ascii(' msg=audit(');

/** The types most lines have, compared in place (no string is cut for them). */
const COMMON_TYPES: ReadonlyArray<readonly [Uint8Array, number]> = [
  [ascii('SYSCALL'), RecordType.SYSCALL],
  [ascii('PATH'), RecordType.PATH],
  [ascii('PROCTITLE'), RecordType.PROCTITLE],
  [ascii('CWD'), RecordType.CWD],
  [ascii('EXECVE'), RecordType.EXECVE],
  [ascii('BPRM_FCAPS'), RecordType.BPRM_FCAPS],
  [ascii('OBJ_PID'), RecordType.OBJ_PID],
  [ascii('EOE'), RecordType.EOE],
  [ascii('SOCKADDR'), RecordType.SOCKADDR],
];

function startsWith(buf: Uint8Array, i: number, end: number, word: Uint8Array): boolean {
  if (end - i < word.length) return false;
  for (let k = 0; k < word.length; k++) if (buf[i + k] !== word[k]) return false;
  return true;
}

function tokenEnd(buf: Uint8Array, i: number, end: number): number {
  while (i < end) {
    const c = buf[i] as number;
    if (c === SPACE || c === TAB || c === GS) break;
    i++;
  }
  return i;
}

function typeOf(buf: Buffer, start: number, end: number): number {
  for (const [name, type] of COMMON_TYPES) {
    if (name.length === end - start && startsWith(buf, start, end, name)) return type;
  }
  return recordTypeNumber(buf.toString('latin1', start, end));
}

/**
 * Reads the header of the ASCII line buf[start, end) into `out` (`bodyStart` relative to
 * `start`). False when the line does not have the plain layout: the caller then decodes it and
 * uses parseHeader, which also accepts syslog prefixes and reports what is wrong.
 */
export function parseHeaderBytes(
  buf: Buffer,
  start: number,
  end: number,
  out: RecordHeader,
): boolean {
  let i = start;
  out.node = '';
  if (startsWith(buf, i, end, NODE)) {
    const nodeEnd = tokenEnd(buf, i + 5, end);
    out.node = buf.toString('latin1', i + 5, nodeEnd);
    i = nodeEnd;
    while (i < end && (buf[i] === SPACE || buf[i] === TAB)) i++;
  }
  if (!startsWith(buf, i, end, TYPE)) return false;
  const typeEnd = tokenEnd(buf, i + 5, end);
  if (!startsWith(buf, typeEnd, end, MSG)) return false;
  out.type = typeOf(buf, i + 5, typeEnd);
  return parseStamp(buf, typeEnd + MSG.length, end, start, out);
}

/** `SEC.MS:SERIAL):` from `i`, as parse-record.ts reads it. */
function parseStamp(buf: Buffer, i: number, n: number, start: number, out: RecordHeader): boolean {
  let sec = 0;
  let digits = 0;
  let c = 0;
  for (; i < n && (c = buf[i] as number) >= 48 && c <= 57; i++, digits++) sec = sec * 10 + c - 48;
  if (digits === 0 || digits > 15 || c !== 46) return false;
  let msec = 0;
  let scale = 100;
  for (i++, digits = 0; i < n && (c = buf[i] as number) >= 48 && c <= 57; i++, digits++) {
    msec += (c - 48) * scale;
    scale /= 10;
  }
  if (digits === 0 || c !== 58) return false;
  let serial = 0;
  for (i++, digits = 0; i < n && (c = buf[i] as number) >= 48 && c <= 57; i++, digits++) {
    serial = serial * 10 + c - 48;
  }
  if (digits === 0 || digits > 15 || c !== 41) return false;
  i++;
  if (i < n && buf[i] === 58) i++;
  while (i < n && (buf[i] === SPACE || buf[i] === TAB)) i++;
  out.sec = sec;
  out.msec = Math.floor(msec);
  out.serial = serial;
  out.bodyStart = i - start;
  return true;
}

/**
 * One ASCII line of a chunk as {@link RecordText}, reset for each line; the text is cut (a
 * copy, so the chunk may be reused) only when asked for. `slow` reads the SYSCALL call from the
 * text when the bytes cannot tell (an arch this project does not know: the ENRICHED name).
 */
export class ByteRecord implements RecordText {
  private buf: Buffer = Buffer.alloc(0);
  private start = 0;
  private end = 0;
  private text: string | undefined;

  constructor(
    private readonly slow: (line: string, h: RecordHeader) => TerminationSyscall | undefined,
  ) {}

  reset(buf: Buffer, start: number, end: number): void {
    this.buf = buf;
    this.start = start;
    this.end = end;
    this.text = undefined;
  }

  line(): string {
    this.text ??= this.buf.toString('latin1', this.start, this.end);
    return this.text;
  }

  syscall(h: RecordHeader): TerminationSyscall | undefined {
    const from = this.start + h.bodyStart;
    const arch = this.number('arch=', from, 16);
    if (!knownArch(arch)) return this.slow(this.line(), h);
    return terminationSyscall(arch, this.number('syscall=', from, 10));
  }

  /** The number after the first `key` of the line, read as syscallOf reads it; -1 if none. */
  private number(key: string, from: number, radix: 10 | 16): number {
    const at = this.buf.indexOf(key, from, 'latin1');
    if (at < 0 || at + key.length > this.end) return -1;
    const buf = this.buf;
    let v = 0;
    let digits = 0;
    for (let i = at + key.length; i < this.end && digits < 16; i++, digits++) {
      const c = buf[i] as number;
      let d = c >= 48 && c <= 57 ? c - 48 : -1;
      if (radix === 16 && d < 0)
        d = c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
      if (d < 0) break;
      v = v * radix + d;
    }
    return digits === 0 ? -1 : v;
  }
}
