import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { TRACEPOINTS } from './program';

/** One requirement of the eBPF source, met or not; `fix` says how to meet it. */
export interface Requirement {
  readonly check: string;
  readonly ok: boolean;
  readonly detail: string;
  readonly fix?: string;
}

/** What the checks ask of the host, so tests can answer with a double. Never throws. */
export interface PreflightHost {
  uid(): number;
  exists(path: string): Promise<boolean>;
  /** Runs a command without a shell; `code` null when it could not be started. */
  run(command: string, args: string[]): Promise<{ code: number | null; output: string }>;
}

/** Where tracefs may be mounted: its own mount point first, the debugfs path second. */
export const TRACEFS_DIRS = ['/sys/kernel/tracing', '/sys/kernel/debug/tracing'] as const;
export const BTF_PATH = '/sys/kernel/btf/vmlinux';
export const INSTALL_BPFTRACE =
  'install bpftrace 0.17 or newer: `apt-get install bpftrace` (Debian/Ubuntu) or `dnf install bpftrace` (Fedora/RHEL)';
export const MOUNT_TRACEFS = 'mount -t tracefs nodev /sys/kernel/tracing';

/** The real host. */
export const realPreflightHost: PreflightHost = {
  uid: () => (typeof process.getuid === 'function' ? process.getuid() : -1),
  async exists(path) {
    try {
      await fs.access(path);
      return true;
    } catch {
      return false;
    }
  },
  run(command, args) {
    return new Promise((resolve) => {
      execFile(command, args, { timeout: 10_000, encoding: 'utf8' }, (err, stdout, stderr) => {
        const started = !err || typeof err.code === 'number';
        const code = err ? (typeof err.code === 'number' ? err.code : null) : 0;
        resolve({ code: started ? code : null, output: `${stdout}${stderr}`.trim() });
      });
    });
  },
};

/**
 * Checks, in order, everything the eBPF source needs: root, bpftrace, kernel BTF, tracefs
 * (mounting it first when `mount` is set and it is not mounted) and the three tracepoints.
 */
export async function ebpfRequirements(
  host: PreflightHost = realPreflightHost,
  options: { bpftrace?: string; mount?: boolean } = {},
): Promise<Requirement[]> {
  const out: Requirement[] = [rootRequirement(host.uid())];
  out.push(await bpftraceRequirement(host, options.bpftrace ?? 'bpftrace'));
  out.push(await btfRequirement(host));
  const tracefs = await tracefsRequirement(host, options.mount ?? false);
  out.push(tracefs.requirement);
  if (tracefs.dir) out.push(await tracepointRequirement(host, tracefs.dir));
  return out;
}

/** One error message for every unmet requirement, each with its fix; null when all are met. */
export function requirementError(reqs: readonly Requirement[]): string | null {
  const bad = reqs.filter((r) => !r.ok);
  if (bad.length === 0) return null;
  const lines = bad.map((r) => `  ${r.check}: ${r.detail}${r.fix ? `; fix: ${r.fix}` : ''}`);
  return `the ebpf source cannot start:\n${lines.join('\n')}`;
}

function rootRequirement(uid: number): Requirement {
  if (uid === 0) return { check: 'ebpf.root', ok: true, detail: 'running as root' };
  return {
    check: 'ebpf.root',
    ok: false,
    detail: `running as uid ${uid}; loading BPF programs needs root`,
    fix: 'run the extension as root (osqueryd runs it as its own user)',
  };
}

async function bpftraceRequirement(host: PreflightHost, bin: string): Promise<Requirement> {
  const res = await host.run(bin, ['--version']);
  if (res.code === null) {
    return { check: 'ebpf.bpftrace', ok: false, detail: `${bin} not found`, fix: INSTALL_BPFTRACE };
  }
  const version = /v?(\d+)\.(\d+)(?:\.\d+)?/.exec(res.output);
  if (res.code !== 0 || !version) {
    const detail = `\`${bin} --version\` failed: ${res.output.slice(0, 200) || `exit ${res.code}`}`;
    return { check: 'ebpf.bpftrace', ok: false, detail, fix: INSTALL_BPFTRACE };
  }
  const [major, minor] = [Number(version[1]), Number(version[2])];
  if (major === 0 && minor < 17) {
    const detail = `bpftrace ${version[0]} is older than 0.17`;
    return { check: 'ebpf.bpftrace', ok: false, detail, fix: INSTALL_BPFTRACE };
  }
  return { check: 'ebpf.bpftrace', ok: true, detail: `bpftrace ${version[0]}` };
}

async function btfRequirement(host: PreflightHost): Promise<Requirement> {
  if (await host.exists(BTF_PATH)) {
    return { check: 'ebpf.btf', ok: true, detail: `kernel BTF at ${BTF_PATH}` };
  }
  return {
    check: 'ebpf.btf',
    ok: false,
    detail: `${BTF_PATH} is missing: the program reads task fields that need kernel BTF`,
    fix: 'boot a kernel built with CONFIG_DEBUG_INFO_BTF=y (the default of current distribution kernels), or use --source audit_log',
  };
}

async function tracefsRequirement(
  host: PreflightHost,
  mount: boolean,
): Promise<{ requirement: Requirement; dir: string | null }> {
  const found = await findTracefs(host);
  if (found) return { requirement: tracefsOk(found), dir: found };
  if (mount) {
    const res = await host.run('mount', ['-t', 'tracefs', 'nodev', TRACEFS_DIRS[0]]);
    const after = await findTracefs(host);
    if (after) return { requirement: tracefsOk(after, true), dir: after };
    const why = res.output.slice(0, 200) || `exit ${res.code ?? 'not started'}`;
    const detail = `tracefs is not mounted and mounting it failed: ${why}`;
    return {
      requirement: { check: 'ebpf.tracefs', ok: false, detail, fix: MOUNT_TRACEFS },
      dir: null,
    };
  }
  const detail = `tracefs is not mounted at ${TRACEFS_DIRS.join(' or ')}`;
  return {
    requirement: { check: 'ebpf.tracefs', ok: false, detail, fix: MOUNT_TRACEFS },
    dir: null,
  };
}

async function findTracefs(host: PreflightHost): Promise<string | null> {
  for (const dir of TRACEFS_DIRS) if (await host.exists(`${dir}/events`)) return dir;
  return null;
}

function tracefsOk(dir: string, mounted = false): Requirement {
  const detail = mounted ? `tracefs mounted at ${dir} by this check` : `tracefs at ${dir}`;
  return { check: 'ebpf.tracefs', ok: true, detail };
}

async function tracepointRequirement(host: PreflightHost, dir: string): Promise<Requirement> {
  const missing: string[] = [];
  for (const tp of TRACEPOINTS) if (!(await host.exists(`${dir}/events/${tp}`))) missing.push(tp);
  if (missing.length === 0) {
    return { check: 'ebpf.tracepoints', ok: true, detail: `tracepoints ${TRACEPOINTS.join(', ')}` };
  }
  return {
    check: 'ebpf.tracepoints',
    ok: false,
    detail: `kernel lacks tracepoints ${missing.join(', ')}`,
    fix: 'boot a kernel with CONFIG_TRACEPOINTS and CONFIG_FTRACE (Linux 4.18 or newer), or use --source audit_log',
  };
}
