import { readFileSync } from 'node:fs';
import os from 'node:os';
import type { Command } from 'commander';
import { RULES_KEY, archesFor, parseArches, parseRuleKey, renderRules } from '../audit-rules/rules';

/**
 * Whether an aarch64 kernel runs 32-bit programs: CONFIG_COMPAT in the kernel config under
 * /boot. Unknown counts as no, so the rules never name an arch auditctl would reject.
 */
function hasCompat32(): boolean {
  try {
    return /^CONFIG_COMPAT=y$/m.test(readFileSync(`/boot/config-${os.release()}`, 'utf8'));
  } catch {
    return false;
  }
}

/** `rules`: prints the recommended audit rules for this host, the text install.sh installs. */
export function register(program: Command): void {
  program
    .command('rules')
    .description('print the recommended audit rules (for /etc/audit/rules.d or auditctl -R)')
    .option('--arch <list>', 'audit arches, comma-separated: b64,b32 (default: this host)')
    .option('--key <name>', 'audit key (-k) the rules tag records with', RULES_KEY)
    .action((flags: { arch?: string; key: string }) => {
      const arches = flags.arch ? parseArches(flags.arch) : archesFor(os.machine(), hasCompat32());
      process.stdout.write(renderRules(arches, parseRuleKey(flags.key)));
    });
}
