/**
 * The system calls this project interprets, by the audit architecture of the record
 * (`arch=` of SYSCALL, AUDIT_ARCH_* in linux/audit.h) and the number it logged. Numbers come
 * from the kernel's tables: arch/x86/entry/syscalls/syscall_64.tbl and syscall_32.tbl,
 * include/uapi/asm-generic/unistd.h (aarch64), arch/arm/tools/syscall.tbl,
 * arch/powerpc/kernel/syscalls/syscall.tbl and arch/s390/kernel/syscalls/syscall.tbl.
 * The host's own architecture never matters: a log from another machine reads the same.
 */
export type TerminationSyscall =
  | 'exit'
  | 'exit_group'
  | 'kill'
  | 'tkill'
  | 'tgkill'
  | 'rt_sigqueueinfo'
  | 'rt_tgsigqueueinfo'
  | 'pidfd_send_signal';

type Table = ReadonlyMap<number, TerminationSyscall>;

function table(
  numbers: Record<TerminationSyscall, number>,
  extra: Array<[number, TerminationSyscall]> = [],
): Table {
  const map = new Map<number, TerminationSyscall>(extra);
  for (const [name, nr] of Object.entries(numbers)) map.set(nr, name as TerminationSyscall);
  return map;
}

// x32 processes run as arch x86_64 with bit 30 set in the number; their rt_* calls differ.
const X32 = 0x40000000;
const X86_64 = table(
  {
    exit: 60,
    exit_group: 231,
    kill: 62,
    tkill: 200,
    tgkill: 234,
    rt_sigqueueinfo: 129,
    rt_tgsigqueueinfo: 297,
    pidfd_send_signal: 424,
  },
  [
    [X32 + 60, 'exit'],
    [X32 + 231, 'exit_group'],
    [X32 + 62, 'kill'],
    [X32 + 200, 'tkill'],
    [X32 + 234, 'tgkill'],
    [X32 + 524, 'rt_sigqueueinfo'],
    [X32 + 536, 'rt_tgsigqueueinfo'],
    [X32 + 424, 'pidfd_send_signal'],
  ],
);
const I386 = table({
  exit: 1,
  exit_group: 252,
  kill: 37,
  tkill: 238,
  tgkill: 270,
  rt_sigqueueinfo: 178,
  rt_tgsigqueueinfo: 335,
  pidfd_send_signal: 424,
});
const GENERIC = table({
  exit: 93,
  exit_group: 94,
  kill: 129,
  tkill: 130,
  tgkill: 131,
  rt_sigqueueinfo: 138,
  rt_tgsigqueueinfo: 240,
  pidfd_send_signal: 424,
});
const ARM = table({
  exit: 1,
  exit_group: 248,
  kill: 37,
  tkill: 238,
  tgkill: 268,
  rt_sigqueueinfo: 178,
  rt_tgsigqueueinfo: 363,
  pidfd_send_signal: 424,
});
const PPC = table({
  exit: 1,
  exit_group: 234,
  kill: 37,
  tkill: 208,
  tgkill: 250,
  rt_sigqueueinfo: 177,
  rt_tgsigqueueinfo: 322,
  pidfd_send_signal: 424,
});
const S390 = table({
  exit: 1,
  exit_group: 248,
  kill: 37,
  tkill: 237,
  tgkill: 241,
  rt_sigqueueinfo: 178,
  rt_tgsigqueueinfo: 330,
  pidfd_send_signal: 424,
});

/** AUDIT_ARCH_* values (EM_* machine | 64-bit flag 0x80000000 | little-endian 0x40000000). */
const BY_ARCH: ReadonlyMap<number, Table> = new Map([
  [0xc000003e, X86_64],
  [0x40000003, I386],
  [0xc00000b7, GENERIC], // aarch64
  [0xc00000f3, GENERIC], // riscv64
  [0x40000028, ARM],
  [0xc0000015, PPC], // ppc64le
  [0x80000015, PPC], // ppc64
  [0x80000016, S390], // s390x
]);

/** All names, for records whose arch is unknown but whose ENRICHED `SYSCALL=` names the call. */
const NAMES: ReadonlySet<string> = new Set(X86_64.values());

/**
 * The termination-related system call `nr` is on `arch`, or undefined when it is another call
 * or the arch is not in the tables (then the caller may use the ENRICHED name).
 */
export function terminationSyscall(arch: number, nr: number): TerminationSyscall | undefined {
  return BY_ARCH.get(arch)?.get(nr);
}

/** True when the arch has a table here. */
export function knownArch(arch: number): boolean {
  return BY_ARCH.has(arch);
}

/** The name if it is one this project interprets (an ENRICHED `SYSCALL=` value). */
export function asTerminationSyscall(
  name: string | null | undefined,
): TerminationSyscall | undefined {
  return name && NAMES.has(name) ? (name as TerminationSyscall) : undefined;
}
