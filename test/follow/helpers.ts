import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RotatingFollower, type FollowerOptions } from '../../src/follow/rotating-follower';

/** A syscall record in auditd's raw format; `n` makes every line distinct. */
export function auditLine(n: number): string {
  return (
    `type=SYSCALL msg=audit(1700000000.${String(n % 1000).padStart(3, '0')}:${n}): arch=c000003e ` +
    `syscall=231 success=yes exit=0 a0=0 a1=0 a2=0 a3=0 items=0 ppid=1 pid=${1000 + n} ` +
    `auid=4294967295 uid=0 gid=0 euid=0 suid=0 fsuid=0 egid=0 sgid=0 fsgid=0 tty=(none) ` +
    `ses=4294967295 comm="sleep" exe="/usr/bin/sleep" key=(null)`
  );
}

/** Lines `from` to `to - 1`, each with its newline. */
export function block(from: number, to: number): string {
  let out = '';
  for (let n = from; n < to; n++) out += `${auditLine(n)}\n`;
  return out;
}

export function tempDir(): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'pt-follow-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** A follower on `path` recording what it reports, with fast timers. */
export function follow(path: string, extra: Partial<FollowerOptions> = {}) {
  const seen = { lines: [] as string[], offsets: [] as number[], gaps: [] as string[], idles: 0 };
  const errors: Error[] = [];
  const follower = new RotatingFollower({
    path,
    pollMs: 25,
    idleMs: 50,
    ...extra,
    handlers: {
      lines: (ls) => {
        for (const l of ls) {
          seen.lines.push(l.text);
          seen.offsets.push(l.offset);
        }
      },
      idle: () => seen.idles++,
      gap: (r) => seen.gaps.push(r),
      error: (e) => errors.push(e),
    },
  });
  return { follower, seen, errors };
}

/** Serial numbers of the lines seen, in order. */
export function serials(lines: readonly string[]): number[] {
  return lines.map((l) => Number(/:(\d+)\)/.exec(l)?.[1] ?? NaN));
}

export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** Resolves when `cond` holds, polling every 10 ms; rejects after `ms`. */
export async function until(cond: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 10));
  }
}
