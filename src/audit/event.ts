import type { TerminationSyscall } from './syscalls';

/** One record kept for interpretation: the line and where its fields start. */
export interface StoredRecord {
  readonly type: number;
  readonly line: string;
  readonly start: number;
}

/**
 * The records of one audit event that interpretation needs; the others (PATH, CWD, EXECVE,
 * ...) are counted but not kept.
 */
export interface AuditEvent {
  readonly node: string;
  readonly sec: number;
  readonly msec: number;
  readonly serial: number;
  /** The termination call named by the SYSCALL record, once it is known. */
  syscall: TerminationSyscall | undefined;
  syscallRecord: StoredRecord | undefined;
  objPids: StoredRecord[];
  proctitle: StoredRecord | undefined;
  /** A standalone record (ANOM_ABEND, SERVICE_STOP) that is the whole event. */
  single: StoredRecord | undefined;
}

/** `sec.mmm` as audit writes it: milliseconds always three digits. */
export function stampText(sec: number, msec: number): string {
  return `${sec}.${msec < 10 ? '00' : msec < 100 ? '0' : ''}${msec}`;
}

/**
 * A new event for the record whose header stamps it: no records attached yet except `single`,
 * for a standalone record type. `objPids` is the caller's list (shared empty or fresh).
 */
export function newEvent(
  h: { node: string; sec: number; msec: number; serial: number },
  objPids: StoredRecord[],
  single?: AuditEvent['single'],
): AuditEvent {
  return {
    node: h.node,
    sec: h.sec,
    msec: h.msec,
    serial: h.serial,
    syscall: undefined,
    syscallRecord: undefined,
    objPids,
    proctitle: undefined,
    single,
  };
}
