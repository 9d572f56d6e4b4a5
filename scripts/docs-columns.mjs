// Prints the README's column reference from the column specs (run `npm run build` first).
// `--check` exits 1 when README.md does not contain it verbatim.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { columnReference, foldMarkdown } = require('../build/src/docs/columns.js');
const text = columnReference();
if (process.argv.includes('--check')) {
  if (!foldMarkdown(readFileSync('README.md', 'utf8')).includes(foldMarkdown(text))) {
    console.error(
      'docs-columns: README.md column reference is stale; paste `npm run docs:columns`',
    );
    process.exit(1);
  }
} else {
  process.stdout.write(`${text}\n`);
}
