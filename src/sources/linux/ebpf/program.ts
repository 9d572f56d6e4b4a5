/**
 * The fixed bpftrace program of the eBPF source and the command line that runs it.
 *
 * Output: bpftrace's JSON mode (`-f json`) writes one JSON object a line; every `printf` below
 * becomes `{"type": "printf", "data": "<line>"}`. Each printed line is a tag and tab-separated
 * fields. Free text (comm) is printed with `%r` over a fixed-size buffer, which escapes every
 * non-printable byte (tab and newline included) as `\xNN`, so the tabs between fields are never
 * ambiguous. The exec path is printed with `%s` as the last field, so a tab in it cannot shift
 * the fields before it.
 *
 * Lines (ktime = bpf_ktime_get_ns, CLOCK_MONOTONIC nanoseconds):
 * - `E ktime pid filename` - sched_process_exec: the image a process now runs.
 * - `X ktime tgid tid ppid uid exit_code comm` - sched_process_exit of the last live thread of
 *   a process (`signal->live` already dropped to 0): a thread's exit is not a process exit.
 *   `exit_code` is the task's wait status: (code >> 8) & 0xff exit code, code & 0x7f the
 *   terminating signal, 0x80 core dumped. For group exits and fatal signals the kernel copies
 *   `signal->group_exit_code` into every thread's `exit_code` before this tracepoint fires.
 * - `S ktime tgid tid uid target sig code group result comm target_comm` - signal_generate for
 *   signals a process sent with kill(2), tkill/tgkill or sigqueue: si_code SI_USER (0),
 *   SI_QUEUE (-1) or SI_TKILL (-6). Kernel-made signals (SIGCHLD, faults, timers, tty) carry
 *   other codes and have no user sender, so they are not traced.
 */
export const BPFTRACE_PROGRAM = `
tracepoint:sched:sched_process_exec
{
  printf("E\\t%llu\\t%d\\t%s\\n", nsecs, pid, str(args->filename));
}
tracepoint:sched:sched_process_exit
/curtask->signal->live.counter == 0/
{
  printf("X\\t%llu\\t%d\\t%d\\t%d\\t%d\\t%d\\t%r\\n", nsecs, pid, tid,
    curtask->real_parent->tgid, uid, curtask->exit_code, buf(comm, 16));
}
tracepoint:signal:signal_generate
/args->sig > 0 && (args->code == 0 || args->code == -1 || args->code == -6)/
{
  printf("S\\t%llu\\t%d\\t%d\\t%d\\t%d\\t%d\\t%d\\t%d\\t%d\\t%r\\t%r\\n", nsecs, pid, tid, uid,
    args->pid, args->sig, args->code, args->group, args->result, buf(comm, 16),
    buf(args->comm, 16));
}
`;

/** The tracepoints the program attaches to; each must exist under tracefs `events/`. */
export const TRACEPOINTS = [
  'sched/sched_process_exec',
  'sched/sched_process_exit',
  'signal/signal_generate',
] as const;

/** bpftrace's longest `str()` (0.17 caps BPFTRACE_STRLEN at 200); longer paths are cut. */
export const PATH_MAX_BYTES = 200;

/**
 * Arguments for `bpftrace` (run without a shell): JSON output, flushed per line (stdout is a
 * pipe, which bpftrace would otherwise buffer fully), the program inline. `extra` goes before
 * the program, e.g. `--emit-elf FILE` for a compile-only dry run.
 */
export function bpftraceArgs(extra: string[] = []): string[] {
  return ['-f', 'json', '-B', 'line', '--no-warnings', ...extra, '-e', BPFTRACE_PROGRAM];
}

/** Environment additions for bpftrace: the longest string it allows, for exec paths. */
export function bpftraceEnv(): Record<string, string> {
  return { BPFTRACE_STRLEN: String(PATH_MAX_BYTES) };
}
