import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseWatchlistConfig } from '../../src/config/watchlist';
import { EMBEDDED_PACKS } from '../../src/sql/embedded-packs';
import { renderEmbeddedModule } from '../../src/sql/embedded-render';
import { loadPack, parsePack } from '../../src/sql/pack';
import { resolvePack, resolveRunnablePack } from '../../src/sql/pack-files';

// Nine aliases of nine aliases ...: a few hundred bytes that expand to millions of nodes.
const BOMB = ['a0: &a0 [x,x,x,x,x,x,x,x,x]']
  .concat(
    Array.from(
      { length: 8 },
      (_, i) => `a${i + 1}: &a${i + 1} [${Array(9).fill(`*a${i}`).join(',')}]`,
    ),
  )
  .join('\n');

describe('pack and configuration errors name the file', () => {
  it('an alias bomb in a pack names the pack file', () => {
    expect(() => parsePack(BOMB, 'bomb.pack.yml')).toThrow(/^bomb\.pack\.yml: not usable YAML/);
  });

  it('an alias bomb in --config names the configuration file', () => {
    expect(() => parseWatchlistConfig(BOMB, 'bomb.yml')).toThrow(/^bomb\.yml: not usable YAML/);
  });

  it('a file that is not a pack (/etc/passwd-like) says what a pack looks like', () => {
    const text = 'root:x:0:0:root:/root:/bin/bash\n';
    expect(() => parsePack(text, 'passwd')).toThrow(
      /invalid pack passwd: a pack definition is a YAML mapping with name, description.*holds a string/,
    );
  });

  it('a YAML syntax error gives file and line', () => {
    expect(() => parsePack('name: x\nqueries: [\n', 'broken.pack.yml')).toThrow(
      /^broken\.pack\.yml:\d+: not valid YAML/,
    );
  });

  it('a missing pack names the flag it came from', () => {
    expect(() => resolvePack('no-such-pack', '--pack')).toThrow(
      /^--pack no-such-pack: no such pack file; .*built-in pack name \(process-terminations\)/,
    );
    expect(() => resolveRunnablePack('/nonexistent/x.conf')).toThrow(
      /^pack \/nonexistent\/x\.conf: no such/,
    );
  });
});

describe('the built-in pack', () => {
  const file = 'packs/process-terminations.pack.yml';

  it('is the text of packs/process-terminations.pack.yml (regenerate with pack gen)', () => {
    expect(EMBEDDED_PACKS['process-terminations']).toBe(readFileSync(file, 'utf8'));
    expect(parsePack(EMBEDDED_PACKS['process-terminations'] ?? '', 'x')).toEqual(loadPack(file));
  });

  it('survives backticks, backslashes and ${ in the YAML', () => {
    const text = 'a: "`x` \\\\ ${y}"\n';
    const module = renderEmbeddedModule([{ path: 'packs/odd.pack.yml', text }]);
    const body = /'odd': (`[\s\S]*`),\n/.exec(module)?.[1] ?? '';
    expect(new Function(`return ${body};`)()).toBe(text);
  });
});
