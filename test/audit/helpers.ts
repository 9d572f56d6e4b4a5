import { AuditPipeline, type AuditPipelineOptions } from '../../src/audit/pipeline';
import type { Termination } from '../../src/model/termination';

/** Test helpers: hand-written audit lines through a pipeline with a fixed ingest clock. */
export const GS = '\x1d';
const clock = { now: () => 1_800_000_000_500 };

/** Pushes the lines; `end()` flushes what is still open. */
export function run(lines: string[], options: Partial<AuditPipelineOptions> = {}) {
  const p = new AuditPipeline({ source: 'test', ingestClock: clock, ...options });
  const rows: Termination[] = [];
  for (const line of lines) rows.push(...p.push(line));
  return { p, rows, end: () => p.end() };
}

/** A SYSCALL line; fields after `arch`/`syscall` are given by the test. */
export function syscall(stamp: string, arch: string, nr: number, rest: string): string {
  return `type=SYSCALL msg=audit(${stamp}): arch=${arch} syscall=${nr} ${rest}`;
}

/** SYSCALL fields of a signal sender. */
export const ACTOR =
  'ppid=1 pid=500 auid=1000 uid=1000 gid=1000 comm="killer" exe="/usr/bin/killer"';
