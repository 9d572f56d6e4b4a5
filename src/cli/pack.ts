import type { Command } from 'commander';
import { checkPackSql, runPack } from '../sql/run-pack';
import {
  generatePackFiles,
  packDefinitions,
  resolvePack,
  resolveRunnablePack,
} from '../sql/pack-files';
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
      .argument('<pack>', 'a .pack.yml, an osquery pack .conf, or a pack name under packs/'),
  ).action(async (name: string, flags: RowFlags) => {
    const runnable = resolveRunnablePack(name);
    const engine = await engineFor(flags);
    try {
      const results = runPack(engine, runnable);
      process.stdout.write(`${JSON.stringify(results, null, 2)}\n`);
    } finally {
      engine.close();
    }
  });
}
