/**
 * Signal numbers by platform. Linux numbers are the kernel's (signal(7)); Darwin's are
 * <sys/signal.h>. Real-time signals are named by the kernel's numbering: 32 is SIGRTMIN.
 */
export type SignalPlatform = 'linux' | 'darwin';

const LINUX = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGBUS',
  'SIGFPE',
  'SIGKILL',
  'SIGUSR1',
  'SIGSEGV',
  'SIGUSR2',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGSTKFLT',
  'SIGCHLD',
  'SIGCONT',
  'SIGSTOP',
  'SIGTSTP',
  'SIGTTIN',
  'SIGTTOU',
  'SIGURG',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGIO',
  'SIGPWR',
  'SIGSYS',
];

const DARWIN = [
  '',
  'SIGHUP',
  'SIGINT',
  'SIGQUIT',
  'SIGILL',
  'SIGTRAP',
  'SIGABRT',
  'SIGEMT',
  'SIGFPE',
  'SIGKILL',
  'SIGBUS',
  'SIGSEGV',
  'SIGSYS',
  'SIGPIPE',
  'SIGALRM',
  'SIGTERM',
  'SIGURG',
  'SIGSTOP',
  'SIGTSTP',
  'SIGCONT',
  'SIGCHLD',
  'SIGTTIN',
  'SIGTTOU',
  'SIGIO',
  'SIGXCPU',
  'SIGXFSZ',
  'SIGVTALRM',
  'SIGPROF',
  'SIGWINCH',
  'SIGINFO',
  'SIGUSR1',
  'SIGUSR2',
];

// Signals whose default action is to dump core ("Core" in signal(7); "create core image" on BSD).
const CORE: Record<SignalPlatform, ReadonlySet<number>> = {
  linux: new Set([3, 4, 5, 6, 7, 8, 11, 24, 25, 31]),
  darwin: new Set([3, 4, 5, 6, 7, 8, 10, 11, 12, 24, 25]),
};

/** The signal's name (`SIGKILL`), or null for 0, negative or unknown numbers. */
export function signalName(signal: number, platform: SignalPlatform = 'linux'): string | null {
  if (!Number.isInteger(signal) || signal <= 0) return null;
  const table = platform === 'linux' ? LINUX : DARWIN;
  const name = table[signal];
  if (name) return name;
  if (platform === 'linux' && signal >= 32 && signal <= 64) {
    return signal === 32 ? 'SIGRTMIN' : `SIGRTMIN+${signal - 32}`;
  }
  return null;
}

/** True when the signal's default action dumps core: a death by it is a crash. */
export function dumpsCore(signal: number, platform: SignalPlatform = 'linux'): boolean {
  return CORE[platform].has(signal);
}
