import { isAbsolute, relative } from 'node:path';

/**
 * Whether this process is the packaged single-file extension (Node's single executable
 * application): `node:sea` says so on Node 20.12+; older Node has no SEA support at all.
 */
export function isPackaged(): boolean {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const sea = require('node:sea') as { isSea?: () => boolean };
    return sea.isSea?.() ?? false;
  } catch {
    return false;
  }
}

/**
 * How a user runs this program again, for the commands printed in messages and fixes: the
 * .ext path when packaged, else `node <script>` (relative to the working directory when the
 * script lies under it, e.g. `node build/src/cli/main.js`). There is no installed command name.
 */
export function selfCommand(
  argv: readonly string[] = process.argv,
  packaged = isPackaged(),
  cwd = process.cwd(),
): string {
  if (packaged) return argv[0] ?? process.execPath;
  const script = argv[1] ?? 'build/src/cli/main.js';
  const rel = relative(cwd, script);
  const shown = rel && !rel.startsWith('..') && !isAbsolute(rel) ? rel : script;
  return `node ${shown}`;
}
