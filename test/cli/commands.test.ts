import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { registerCommands } from '../../src/cli/commands';
import { missingArgument } from '../../src/cli/missing-argument';
import { selfCommand } from '../../src/cli/self';
import { VERSION } from '../../src/version';

async function versionOf(args: string[]): Promise<string> {
  let out = '';
  const program = new Command('pt').exitOverride().enablePositionalOptions();
  program.configureOutput({ writeOut: (s) => (out += s), writeErr: () => undefined });
  const argv = ['node', 'main.js', ...args];
  await registerCommands(program, argv);
  await program.parseAsync(argv).catch(() => undefined);
  return out.trim();
}

describe('--version', () => {
  it.each([['pack', 'run'], ['pack', 'gen'], ['doctor']])(
    'answers after %s %s (regression: unknown option on nested commands)',
    async (...words) => {
      expect(await versionOf([...words.filter(Boolean), '--version'])).toBe(VERSION);
    },
  );
});

describe('missingArgument', () => {
  const sql = (v: string) => /^\s*(select|with|pragma)\b/i.test(v) || v.includes(' ');

  it('says to put the SQL before --replay when --replay took it', () => {
    const err = missingArgument('SQL', 'query', ['a.log', 'select 1'], sql);
    expect(err.message).toContain('--replay took "select 1" as a file');
    expect(err.message).toContain('put the SQL before --replay');
    expect(err.message).toContain('end the files with `--`');
  });

  it('just says the argument is missing otherwise', () => {
    expect(missingArgument('SQL', 'query', ['a.log'], sql).message).toBe(
      'query: missing the SQL argument; see `query --help`',
    );
  });
});

describe('selfCommand', () => {
  it('is the .ext path when packaged', () => {
    expect(
      selfCommand(['/opt/x/process_terminations.ext', '/opt/x/process_terminations.ext'], true),
    ).toBe('/opt/x/process_terminations.ext');
  });

  it('is node and the script, relative to the working directory, from a clone', () => {
    expect(selfCommand(['/usr/bin/node', '/src/pt/build/src/cli/main.js'], false, '/src/pt')).toBe(
      'node build/src/cli/main.js',
    );
    expect(selfCommand(['/usr/bin/node', '/src/pt/build/src/cli/main.js'], false, '/tmp')).toBe(
      'node /src/pt/build/src/cli/main.js',
    );
  });
});
