import { Command, Option } from 'commander';
import { SOURCE_NAMES } from '../config/options';
import { checkAudisp } from '../doctor/audisp';
import { DOCTOR_DEFAULTS, formatFindings, onlyBlocking, passed, runDoctor } from '../doctor/doctor';
import { checkEbpf } from '../doctor/ebpf';
import type { Check } from '../doctor/finding';
import { realHost } from '../doctor/host';
import { createLogger } from './logging';

interface DoctorFlags {
  socket: string;
  ext: string;
  extensionsLoad: string;
  auditLog: string;
  source: string;
  audispSocket?: string;
  json?: boolean;
  verbose?: boolean;
}

/**
 * Checks from other areas, run after doctor's own. eBPF failures block only `--source ebpf`
 * (which also compiles the program, seconds); audisp failures only `--source audisp`.
 */
function extraChecks(flags: DoctorFlags): Check[] {
  const ebpf = flags.source === 'ebpf';
  const audispSocket = flags.audispSocket;
  return [
    onlyBlocking(ebpf, () => checkEbpf({ compile: ebpf })),
    onlyBlocking(flags.source === 'audisp', () =>
      checkAudisp(audispSocket ? { socketPath: audispSocket } : {}),
    ),
  ];
}

/** `doctor`: checks this host for what the extension needs; exits 1 when something blocks it. */
export function register(program: Command): void {
  program
    .command('doctor')
    .description('check audit, permissions, socket and eBPF support on this host, with fixes')
    .option('--socket <path>', 'osqueryd extensions socket', DOCTOR_DEFAULTS.socket)
    .option('--ext <path>', 'installed extension binary', DOCTOR_DEFAULTS.ext)
    .option('--extensions-load <path>', 'osqueryd autoload file', DOCTOR_DEFAULTS.loadFile)
    .option('--audit-log <path>', 'audit log the extension reads', DOCTOR_DEFAULTS.auditLog)
    .addOption(
      new Option('--source <name>', 'source the extension will use')
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
        ext: flags.ext,
        loadFile: flags.extensionsLoad,
        auditLog: flags.auditLog,
        source: flags.source,
      };
      logger.debug('doctor starting', { ...options });
      const findings = await runDoctor(realHost, options, extraChecks(flags));
      const ok = passed(findings);
      if (flags.json) process.stdout.write(`${JSON.stringify({ ok, findings }, null, 2)}\n`);
      else process.stdout.write(formatFindings(findings));
      process.exitCode = ok ? 0 : 1;
    });
}
