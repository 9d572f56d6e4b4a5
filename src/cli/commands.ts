import type { Command } from 'commander';
import { VERSION } from '../version';
import * as attackLayer from './attack-layer';
import * as doctor from './doctor';
import * as pack from './pack';
import * as query from './query';
import * as replay from './replay';
import * as rules from './rules';

/**
 * Every sub-command, each in its own module exporting `register(program)`. The default command
 * (running as an extension) is registered by `run.ts` as `program`'s own action.
 */
const modules: ReadonlyArray<{ register(program: Command): void }> = [
  doctor,
  rules,
  replay,
  query,
  pack,
  attackLayer,
];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
  // --version answers on every sub-command too, as operators type it after any of them.
  for (const c of program.commands) {
    const taken = c.options.some((o) => o.short === '-V' || o.long === '--version');
    if (!taken) c.version(VERSION, '-V, --version');
  }
}
