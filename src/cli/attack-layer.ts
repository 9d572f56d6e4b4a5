import type { Command } from 'commander';
import { buildLayer } from '../attack/layer';
import { resolvePack } from '../sql/pack-files';

/** `attack-layer`: prints an ATT&CK Navigator layer of what a pack covers. */
export function register(program: Command): void {
  program
    .command('attack-layer')
    .description('print an ATT&CK Navigator layer (JSON) of the techniques a pack covers')
    .option('--pack <pack>', 'a .pack.yml file or a built-in pack name', 'process-terminations')
    .option('--v19', 'use ATT&CK v19 ids and tactics (T1685, Defense Impairment)')
    .action((flags: { pack: string; v19?: boolean }) => {
      const layer = buildLayer(resolvePack(flags.pack, '--pack'), { v19: flags.v19 ?? false });
      process.stdout.write(`${JSON.stringify(layer, null, 2)}\n`);
    });
}
