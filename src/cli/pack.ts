import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { EMBEDDED_PACKS } from '../sql/embedded-packs';
import { checkPackSql, runPackWithin } from '../sql/run-pack';
import {
  generatePackFiles,
  packDefinitions,
  resolvePack,
  resolveRunnablePack,
} from '../sql/pack-files';
import { missingArgument } from './missing-argument';
import { engineFor, withRowOptions, type RowFlags } from './query';

function generate(flags: { dir: string; check?: boolean }): void {
  for (const def of packDefinitions(flags.dir)) {
    const problems = checkPackSql(resolvePack(def));
    if (problems.length > 0)
      throw new Error(`${def}: SQL that SQLite refuses:\n  ${problems.join('\n  ')}`);
  }
  const result = generatePackFiles(flags.dir, flags.check ?? false);
  if (flags.check) {
    if (result.stale.length > 0) {
      throw new Error(
        `generated pack files are stale: ${result.stale.join(', ')}; run \`npm run packs:gen\` and commit them`,
      );
    }
    process.stdout.write('pack files are up to date\n');
    return;
  }
  for (const path of result.written) process.stdout.write(`wrote ${path}\n`);
  if (result.written.length === 0) process.stdout.write('pack files are up to date\n');
}

// A --replay value that names a pack was meant as the PACK argument.
function looksLikePack(value: string): boolean {
  if (/\.(pack\.ya?ml|conf)$/.test(value)) return true;
  return value in EMBEDDED_PACKS || existsSync(`packs/${value}.pack.yml`);
}

/** `pack gen` and `pack run`: the pack generators and a runner over recorded events. */
export function register(program: Command): void {
  const pack = program
    .command('pack')
    .description('osquery and Fleet packs of process_terminations queries');
  pack
    .command('gen')
    .description('generate the osquery pack (.conf) and Fleet YAML from every packs/*.pack.yml')
    .option('--dir <dir>', 'directory holding the pack definitions', 'packs')
    .option('--check', 'write nothing; fail when a generated file is stale (for CI)')
    .action(generate);
  withRowOptions(
    pack
      .command('run')
      .description('run every query of a pack and print the flagged rows per query as JSON')
      .argument('[pack]', 'a .pack.yml, an osquery pack .conf, or a built-in pack name'),
  ).action(async (name: string | undefined, flags: RowFlags) => {
    if (name === undefined) throw missingArgument('PACK', 'pack run', flags.replay, looksLikePack);
    const runnable = resolveRunnablePack(name);
    const engine = await engineFor(flags);
    try {
      const results = await runPackWithin(engine, runnable, flags.timeoutMs);
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } finally {
      engine.close();
    }
  });
}
