import type { Command } from 'commander';
import { VERSION } from '../version';

type CommandModule = { register(program: Command): void };

/**
 * Every sub-command, each in its own module exporting `register(program)`, loaded on demand:
 * osqueryd starts the extension with no sub-command, and it must register within
 * --extensions_timeout, so the tools' dependencies (SQLite, YAML, XML) stay unloaded then.
 */
const LOADERS: Record<string, () => Promise<CommandModule>> = {
  doctor: () => import('./doctor.js'),
  rules: () => import('./rules.js'),
  replay: () => import('./replay.js'),
  query: () => import('./query.js'),
  pack: () => import('./pack.js'),
  'attack-layer': () => import('./attack-layer.js'),
};

/**
 * Registers the sub-commands `argv` needs: the one its first argument names; all of them when
 * it asks for help (so `--help` lists them) or starts with an unknown word (so the error can
 * list them); none when it starts with an option, as osqueryd starts the extension.
 */
export async function registerCommands(program: Command, argv: readonly string[]): Promise<void> {
  const args = argv.slice(2);
  const first = args[0];
  const wantsHelp = args.some((a) => a === '-h' || a === '--help' || a === 'help');
  // osqueryd starts the extension with options first (--socket ...): no sub-command needed.
  const named = first !== undefined && first in LOADERS ? first : undefined;
  const unknownWord = first !== undefined && !first.startsWith('-') && named === undefined;
  const names = wantsHelp || unknownWord ? Object.keys(LOADERS) : named ? [named] : [];
  for (const name of names) {
    const loader = LOADERS[name];
    if (loader) (await loader()).register(program);
  }
  addVersion(program.commands);
}

// --version answers on every sub-command too (nested ones such as `pack run` included), as
// operators type it after any of them.
function addVersion(commands: readonly Command[]): void {
  for (const c of commands) {
    const taken = c.options.some((o) => o.short === '-V' || o.long === '--version');
    if (!taken) c.version(VERSION, '-V, --version');
    addVersion(c.commands);
  }
}
