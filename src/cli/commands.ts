import type { Command } from 'commander';

/**
 * Every sub-command, each in its own module exporting `register(program)`. The default command
 * (running as an extension) is registered by `run.ts` as `program`'s own action.
 */
const modules: ReadonlyArray<{ register(program: Command): void }> = [];

export function registerCommands(program: Command): void {
  for (const m of modules) m.register(program);
}
