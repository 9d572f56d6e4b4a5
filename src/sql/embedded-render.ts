import { basename } from 'node:path';

/** The module `pack gen` writes into the source tree so builds carry the pack definitions. */
export const EMBEDDED_MODULE = 'src/sql/embedded-packs.ts';

// A template literal keeps the YAML readable and Prettier leaves it as it is.
function literal(text: string): string {
  return `\`${text.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${')}\``;
}

/**
 * The text of {@link EMBEDDED_MODULE}: each definition's YAML under its pack name (file name
 * without `.pack.yml`), in the order given. Deterministic, so `pack gen --check` can compare.
 */
export function renderEmbeddedModule(defs: ReadonlyArray<{ path: string; text: string }>): string {
  const entries = defs.map((d) => `  '${basename(d.path, '.pack.yml')}': ${literal(d.text)},\n`);
  return [
    '// Generated from packs/*.pack.yml by `pack gen`; do not edit.\n',
    '\n',
    '/**\n',
    ' * The pack definitions built into the extension (YAML text by pack name), so `pack run` and\n',
    ' * `attack-layer` find the default pack outside a clone of the repository.\n',
    ' */\n',
    'export const EMBEDDED_PACKS: Readonly<Record<string, string>> = {\n',
    ...entries,
    '};\n',
  ].join('');
}
