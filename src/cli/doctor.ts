import { Command, Option } from 'commander';
import { SOURCE_NAMES } from '../config/options';
import { checkAudisp } from '../doctor/audisp';
import {
  DOCTOR_DEFAULTS,
  formatFindings,
  passed,
  runDoctor,
  type SourceChecks,
} from '../doctor/doctor';
import { checkEbpf } from '../doctor/ebpf';
import { realHost } from '../doctor/host';
import { createLogger } from './logging';
import { isPackaged, selfCommand } from './self';

interface DoctorFlags {
  socket: string;
  ext?: string;
  extensionsLoad: string;
  auditLog: string;
  source: string;
  audispSocket?: string;
  json?: boolean;
  verbose?: boolean;
}

/**
 * The audisp and eBPF checks. Compiling the eBPF program takes seconds, so only `--source
 * ebpf` does it; `auto` checks bpftrace, BTF and tracefs alone.
 */
function sourceChecks(flags: DoctorFlags): SourceChecks {
  const audispSocket = flags.audispSocket;
  return {
    audisp: () => checkAudisp(audispSocket ? { socketPath: audispSocket } : {}),
    ebpf: () => checkEbpf({ compile: flags.source === 'ebpf' }),
  };
}

/** `doctor`: checks this host for what the extension needs; exits 1 when something blocks it. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check what the chosen source and osqueryd need on this host, with fixes')
    .option('--socket <path>', 'osqueryd extensions socket', DOCTOR_DEFAULTS.socket)
    .option('--ext <path>', `installed extension binary (default ${DOCTOR_DEFAULTS.ext})`)
    .option('--extensions-load <path>', 'osqueryd autoload file', DOCTOR_DEFAULTS.loadFile)
    .option('--audit-log <path>', 'audit log the extension reads', DOCTOR_DEFAULTS.auditLog)
    .addOption(
      new Option('--source <name>', 'source the extension will use (auto: check every one)')
        .choices(SOURCE_NAMES)
        .default('auto'),
    )
    .option('--audisp-socket <path>', 'socket of the audisp af_unix plugin')
    .option('--json', 'print the findings as JSON')
    .option('--verbose', 'log debug details to stderr')
    .action(async (flags: DoctorFlags) => {
      const logger = createLogger(Boolean(flags.verbose));
      const options = {
        socket: flags.socket,
        ext: flags.ext ?? DOCTOR_DEFAULTS.ext,
        extGiven: flags.ext !== undefined,
        packaged: isPackaged(),
        self: selfCommand(),
        loadFile: flags.extensionsLoad,
        auditLog: flags.auditLog,
        source: flags.source,
      };
      logger.debug('doctor starting', { ...options });
      const findings = await runDoctor(realHost, options, sourceChecks(flags));
      const ok = passed(findings);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok, findings }, null, 2)}\n`);
      else process.stdout.write(formatFindings(findings));
      process.exitCode = ok ? 0 : 1;
    });
}
