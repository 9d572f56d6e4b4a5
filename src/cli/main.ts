#!/usr/bin/env node
import { Command } from 'commander';
import { VERSION } from '../version';
import { registerCommands } from './commands';
import * as run from './run';

/**
 * Entry point. With no sub-command it runs as an osquery extension (the way osqueryd launches
 * it: `--socket PATH --timeout S --interval S [--verbose]`); the sub-commands are tools for
 * analysts and operators.
 */
async function main(argv: string[]): Promise<void> {
  const program = new Command('process-terminations')
    .version(VERSION, '-V, --version')
    .description('osquery extension: the process_terminations table and its tools')
    .showHelpAfterError()
    .enablePositionalOptions()
    .helpCommand(true);
  run.register(program);
  await registerCommands(program, argv);
  const first = argv[2];
  const known = program.commands.map((c) => c.name());
  if (first !== undefined && !first.startsWith('-') && first !== 'help' && !known.includes(first)) {
    program.error(`error: unknown command '${first}' (commands: ${known.join(', ')})`);
  }
  await program.parseAsync(argv);
}

main(process.argv).catch((err: unknown) => {
  process.stderr.write(
    `process-terminations: ${err instanceof Error ? err.message : String(err)}\n`,
  );
  process.exit(1);
});
