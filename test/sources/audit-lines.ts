/**
 * Audit records in auditd's ENRICHED log format (as written here by auditd 3 with
 * log_format = ENRICHED: raw fields, a 0x1d separator, then interpreted fields), built from
 * the format, for tests that need many events. Exit status is the syscall's a0 in hex; a kill's
 * target pid is a0 and the signal a1.
 */
const GS = '\x1d';

export interface Stamp {
  sec: number;
  ms: number;
  serial: number;
}

function msg(s: Stamp): string {
  return `msg=audit(${s.sec}.${String(s.ms).padStart(3, '0')}:${s.serial})`;
}

function subject(pid: number, comm: string, exe: string): string {
  return (
    `items=0 ppid=1 pid=${pid} auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 ` +
    `sgid=0 fsgid=0 tty=(none) ses=4294967295 comm="${comm}" exe="${exe}" key="pt_follow"`
  );
}

function enriched(syscall: string): string {
  return `${GS}ARCH=x86_64 SYSCALL=${syscall} AUID="unset" UID="root" GID="root" EUID="root"`;
}

const hex = (s: string) => Buffer.from(s).toString('hex').toUpperCase();

/** exit_group(code) by `pid` running `comm`: SYSCALL and PROCTITLE records. */
export function exitEvent(s: Stamp, pid: number, code: number, comm = 'sh'): string[] {
  return [
    `type=SYSCALL ${msg(s)}: arch=c000003e syscall=231 a0=${code.toString(16)} a1=e7 a2=3c ` +
      `a3=0 ${subject(pid, comm, `/usr/bin/${comm}`)}${enriched('exit_group')}`,
    `type=PROCTITLE ${msg(s)}: proctitle=${hex(comm)}`,
  ];
}

/** kill(target, sig) by `pid` running `kill`: SYSCALL, OBJ_PID and (optionally) PROCTITLE. */
export function killEvent(
  s: Stamp,
  pid: number,
  target: number,
  sig: number,
  title = true,
): string[] {
  const lines = [
    `type=SYSCALL ${msg(s)}: arch=c000003e syscall=62 success=yes exit=0 ` +
      `a0=${target.toString(16)} a1=${sig.toString(16)} a2=0 a3=0 ` +
      `${subject(pid, 'kill', '/usr/bin/kill')}${enriched('kill')}`,
    `type=OBJ_PID ${msg(s)}: opid=${target} oauid=-1 ouid=0 oses=-1 ocomm="sleep"` +
      `${GS}OAUID="unset" OUID="root"`,
  ];
  if (title) lines.push(`type=PROCTITLE ${msg(s)}: proctitle=${hex('kill')}00${hex('-9')}`);
  return lines;
}

/** A clock-driven stamp source: serials count up from `serial`, time is now. */
export function stamps(serial: number, now: () => number = Date.now) {
  return (): Stamp => {
    const t = now();
    return { sec: Math.floor(t / 1000), ms: t % 1000, serial: serial++ };
  };
}

/** Text for a file: each line with its newline. */
export function text(lines: readonly string[]): string {
  return lines.map((l) => `${l}\n`).join('');
}
