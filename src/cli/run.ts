import { Command, Option } from 'commander';
import { FORMAT_NAMES, SOURCE_NAMES } from '../config/names';

/**
 * Makes running as an osquery extension the program's default action, with osqueryd's
 * autoload flags (--socket, --timeout, --interval, --verbose) and our own.
 */
export function register(program: Command): void {
  program
    .option(
      '--socket <path>',
      "osqueryd's extension manager socket (--extensions_socket); required",
    )
    .option('--timeout <s>', 'seconds to keep trying to reach osqueryd at start', '3')
    .option('--interval <s>', 'seconds between checks that osqueryd is still there', '3')
    .option('--verbose', 'log debug lines to stderr', false)
    .addOption(
      new Option('--source <name>', 'where events come from').choices(SOURCE_NAMES).default('auto'),
    )
    .option(
      '--audit-log <path>',
      'audit log to follow (source audit_log)',
      '/var/log/audit/audit.log',
    )
    .option(
      '--audisp-socket <path>',
      'auditd dispatcher socket (source audisp)',
      '/var/run/audispd_events',
    )
    .option('--retention <s>', 'seconds a row stays queryable (like osquery events_expiry)', '3600')
    .option(
      '--max-events <n>',
      'rows kept at most; the oldest are dropped first (events_max)',
      '50000',
    )
    .option('--state-dir <dir>', 'directory for the resume checkpoint')
    .option('--config <file>', 'configuration file (watchlist and more)')
    .option('--replay <files...>', 'serve rows read from these files instead of live sources')
    .addOption(
      new Option('--format <name>', 'format of --replay files')
        .choices(FORMAT_NAMES)
        .default('auto'),
    )
    .addHelpText(
      'after',
      '\nWith no command it runs as an osquery extension, the way osqueryd autoloads it:\n' +
        '  process-terminations --socket /var/osquery/osquery.em --timeout 3 --interval 3\n' +
        'See docs/osquery.md for --extensions_autoload and --extensions_require.',
    )
    .action(async (raw: Record<string, unknown>) => {
      if (raw.socket === undefined) {
        program.error('error: --socket <path> is required to run as an extension (see --help)');
      }
      // Loaded on demand: the sub-commands start faster without the extension runtime.
      const { parseExtensionOptions } = await import('../config/options.js');
      const { runExtension } = await import('./run-extension.js');
      const code = await runExtension(parseExtensionOptions(raw));
      process.exit(code);
    });
}
