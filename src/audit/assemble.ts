import type { RecordText } from './byte-record';
import { newEvent, type AuditEvent, type StoredRecord } from './event';
import type { RecordHeader } from './parse-record';
import { RecordType } from './record-types';
import {
  asTerminationSyscall,
  knownArch,
  terminationSyscall,
  type TerminationSyscall,
} from './syscalls';
import { parseFields } from './parse-record';

/**
 * Groups records into events by (node, timestamp, serial). Records of different events
 * interleave; records of one event arrive in the kernel's order (SYSCALL, aux records such as
 * OBJ_PID, PATH..., PROCTITLE, EOE), though a few kernel records (ANOM_PROMISCUOUS) come
 * before their SYSCALL. An event completes on its EOE or PROCTITLE record (auditd writes no
 * EOE to its log, and PROCTITLE is the last record of a syscall event), when it is older than
 * the newest event time seen minus the completion timeout ({@link Assembler.expire}; an event
 * that starts older than the newest time seen counts from that newest time; a lone event far
 * ahead of it does not move it, see {@link MAX_CLOCK_STEP_MS}), when the
 * number of open events exceeds the maximum (the oldest is completed early and counted), or at
 * the end of input ({@link Assembler.completeAll}). Only records interpretation needs are kept.
 */
interface Pending {
  readonly event: AuditEvent;
  /**
   * The event clock when it started: its own time, or the newest event time seen if that is
   * later (a long system call, a second log file) or its own is an unconfirmed jump ahead.
   * Open events are then in due order, oldest first.
   */
  readonly dueMs: number;
  readonly offset: number | null;
  /** The SYSCALL record named a call that is not a termination: keep nothing more. */
  skip: boolean;
  /** Another open event with the same serial (other node or time). */
  next: Pending | undefined;
}

/** The OBJ_PID list of the many events that have none: shared, so never pushed to. */
const NO_RECORDS: StoredRecord[] = Object.freeze([]) as unknown as StoredRecord[];

/** Called with each completed event; `kept` is false when it held nothing to interpret. */
export type CompleteFn = (event: AuditEvent, kept: boolean) => void;

/** Largest step of the event clock one new event can make alone (see Assembler.tick). */
export const MAX_CLOCK_STEP_MS = 5 * 60_000;

export class Assembler {
  private readonly open = new Map<number, Pending>();
  private count = 0;
  /** Newest event time seen (the event clock), ms. */
  private newestMs = 0;
  /** Time of a new event far ahead of the clock, waiting for a second to confirm it. */
  private jumpMs: number | null = null;
  /** Events completed early because too many were open. */
  evicted = 0;

  constructor(
    private readonly timeoutMs: number,
    private readonly maxOpen: number,
    private readonly complete: CompleteFn,
  ) {}

  /**
   * Adds a record of a multi-record event. `isNew` is called when it starts a new event
   * (for serial accounting). Returns nothing: completed events go to the complete callback.
   */
  add(
    rec: RecordText,
    h: RecordHeader,
    offset: number | null,
    isNew: (h: RecordHeader) => void,
  ): void {
    let p = this.find(h);
    if (h.type === RecordType.EOE) {
      if (p !== undefined) this.finish(p);
      return;
    }
    if (p !== undefined) {
      this.keep(p, rec, h);
      return;
    }
    isNew(h);
    const advanced = this.tick(h.sec * 1000 + h.msec);
    p = this.insert(h, this.newestMs, offset);
    this.keep(p, rec, h);
    if (advanced) this.expire();
  }

  /**
   * Moves the event clock to a new event's time. A step ahead of more than
   * {@link MAX_CLOCK_STEP_MS} moves it only when the next new event confirms it (lies within
   * that step of the first): one event with a wild timestamp (a clock set far ahead, a
   * corrupt line) between the records of another must not complete that one early. True when
   * the clock moved.
   */
  private tick(timeMs: number): boolean {
    const far = this.newestMs > 0 && timeMs - this.newestMs > MAX_CLOCK_STEP_MS;
    if (far && (this.jumpMs === null || Math.abs(timeMs - this.jumpMs) > MAX_CLOCK_STEP_MS)) {
      this.jumpMs = timeMs;
      return false;
    }
    this.jumpMs = null;
    if (timeMs <= this.newestMs) return false;
    this.newestMs = timeMs;
    return true;
  }

  /** Completes events older than the newest event time minus the timeout, oldest first. */
  expire(): void {
    const limit = this.newestMs - this.timeoutMs;
    for (const p of this.open.values()) {
      if (p.dueMs > limit) break;
      this.finish(p);
    }
  }

  /** Completes every open event, oldest first. */
  completeAll(): void {
    for (const p of this.open.values()) {
      for (let q: Pending | undefined = p; q !== undefined; q = q.next) this.finish(q);
    }
  }

  /** Byte offset of the first line of the oldest open event, or null. */
  oldestOffset(): number | null {
    let min: number | null = null;
    for (const p of this.open.values()) {
      for (let q: Pending | undefined = p; q !== undefined; q = q.next) {
        if (q.offset !== null && (min === null || q.offset < min)) min = q.offset;
      }
    }
    return min;
  }

  private find(h: RecordHeader): Pending | undefined {
    let p = this.open.get(h.serial);
    while (p !== undefined) {
      const e = p.event;
      if (e.sec === h.sec && e.msec === h.msec && e.node === h.node) return p;
      p = p.next;
    }
    return undefined;
  }

  private insert(h: RecordHeader, dueMs: number, offset: number | null): Pending {
    const event = newEvent(h, NO_RECORDS);
    const p: Pending = { event, dueMs, offset, skip: false, next: this.open.get(h.serial) };
    this.open.set(h.serial, p);
    if (++this.count > this.maxOpen) {
      // The first key is the oldest; within its chain the oldest is last.
      let oldest = this.open.values().next().value as Pending;
      while (oldest.next !== undefined) oldest = oldest.next;
      this.evicted++;
      this.finish(oldest);
    }
    return p;
  }

  /** Text is decoded here only for the records an event keeps (see RecordText). */
  private keep(p: Pending, rec: RecordText, h: RecordHeader): void {
    if (p.skip) {
      if (h.type === RecordType.PROCTITLE) this.finish(p);
      return;
    }
    switch (h.type) {
      case RecordType.SYSCALL:
        p.event.syscall = rec.syscall(h);
        if (p.event.syscall === undefined) {
          p.skip = true;
          p.event.objPids = NO_RECORDS;
          p.event.proctitle = undefined;
        } else p.event.syscallRecord = stored(rec.line(), h);
        return;
      case RecordType.OBJ_PID:
        if (p.event.objPids === NO_RECORDS) p.event.objPids = [];
        p.event.objPids.push(stored(rec.line(), h));
        return;
      case RecordType.PROCTITLE:
        p.event.proctitle = stored(rec.line(), h);
        this.finish(p);
        return;
    }
  }

  private finish(p: Pending): void {
    const serial = p.event.serial;
    const head = this.open.get(serial);
    if (head === p) {
      if (p.next === undefined) this.open.delete(serial);
      else this.open.set(serial, p.next);
    } else {
      let q = head;
      while (q !== undefined && q.next !== p) q = q.next;
      if (q === undefined) return; // already completed
      q.next = p.next;
    }
    this.count--;
    this.complete(p.event, !p.skip && p.event.syscallRecord !== undefined);
  }
}

function stored(line: string, h: RecordHeader): StoredRecord {
  return { type: h.type, line, start: h.bodyStart };
}

/** A decoded line as {@link RecordText}, reset for each line (no allocation per record). */
export class StringRecord implements RecordText {
  private text = '';

  reset(line: string): this {
    this.text = line;
    return this;
  }

  line(): string {
    return this.text;
  }

  syscall(h: RecordHeader): TerminationSyscall | undefined {
    return syscallOf(this.text, h);
  }
}

/**
 * The termination call of a SYSCALL record, read from `arch=` and `syscall=` without
 * splitting the other fields; the ENRICHED `SYSCALL=` name is used only for an unknown arch.
 */
export function syscallOf(line: string, h: RecordHeader): TerminationSyscall | undefined {
  const archAt = line.indexOf('arch=', h.bodyStart);
  const nrAt = line.indexOf('syscall=', h.bodyStart);
  const arch = archAt < 0 ? -1 : parseNumber(line, archAt + 5, 16);
  if (knownArch(arch))
    return terminationSyscall(arch, nrAt < 0 ? -1 : parseNumber(line, nrAt + 8, 10));
  if (line.indexOf('\x1d', h.bodyStart) < 0) return undefined;
  return asTerminationSyscall(parseFields(line, h.bodyStart, h.type).SYSCALL);
}

/** Digits in `radix` from `i` up to the first other character; -1 when there are none. */
function parseNumber(line: string, i: number, radix: 10 | 16): number {
  let v = 0;
  let digits = 0;
  for (; i < line.length && digits < 16; i++, digits++) {
    const c = line.charCodeAt(i);
    let d = c >= 48 && c <= 57 ? c - 48 : -1;
    if (radix === 16 && d < 0) d = c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (d < 0) break;
    v = v * radix + d;
  }
  return digits === 0 ? -1 : v;
}
