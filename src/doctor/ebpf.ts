import { promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  MOUNT_TRACEFS,
  ebpfRequirements,
  realPreflightHost,
  type PreflightHost,
  type Requirement,
} from '../sources/linux/ebpf/preflight';
import { bpftraceArgs, bpftraceEnv } from '../sources/linux/ebpf/program';
import type { Finding } from './finding';

/** Options of {@link checkEbpf}: a host double for tests, and whether to compile the program. */
export interface EbpfCheckOptions {
  host?: PreflightHost;
  /** Compile the source's program without loading it (`--emit-elf`); takes seconds. */
  compile?: boolean;
}

/**
 * Findings for `--source ebpf`: root, bpftrace (installed, 0.17 or newer), kernel BTF, tracefs
 * and the three tracepoints, then a compile-only run of the program (which proves the BTF
 * fields it reads exist). Nothing is mounted or loaded: an unmounted tracefs is a `warn`,
 * since the source mounts it when it starts.
 */
export async function checkEbpf(options: EbpfCheckOptions = {}): Promise<Finding[]> {
  const host = options.host ?? realPreflightHost;
  const reqs = await ebpfRequirements(host, { mount: false });
  const findings = reqs.map(toFinding);
  const ready = reqs.every((r) => r.ok || r.check === 'ebpf.tracefs');
  if ((options.compile ?? true) && ready) findings.push(await compileFinding(host));
  return findings;
}

function toFinding(r: Requirement): Finding {
  if (r.ok) return { check: r.check, status: 'ok', detail: r.detail };
  // The source mounts tracefs itself; only a failing mount at start-up stops it.
  const status = r.check === 'ebpf.tracefs' && r.fix === MOUNT_TRACEFS ? 'warn' : 'fail';
  return { check: r.check, status, detail: r.detail, ...(r.fix ? { fix: r.fix } : {}) };
}

async function compileFinding(host: PreflightHost): Promise<Finding> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'pt-ebpf-'));
  try {
    const elf = path.join(dir, 'program.elf');
    const env = Object.entries(bpftraceEnv()).map(([k, v]) => `${k}=${v}`);
    const res = await host.run('env', [...env, 'bpftrace', ...bpftraceArgs(['--emit-elf', elf])]);
    if (res.code === 0) {
      return { check: 'ebpf.program', status: 'ok', detail: 'the tracing program compiles' };
    }
    const why = res.output
      .split('\n')
      .filter((l) => !/RLIMIT_MEMLOCK/.test(l))
      .join(' ')
      .slice(0, 300);
    return {
      check: 'ebpf.program',
      status: 'fail',
      detail: `bpftrace cannot compile the tracing program: ${why || `exit ${res.code}`}`,
      fix: 'use bpftrace 0.17 or newer on a kernel with BTF, or use --source audit_log',
    };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
