import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { columnReference, DOCUMENTED_TABLES, foldMarkdown } from '../../src/docs/columns';

const README = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('holds the column reference generated from the column specs (npm run docs:columns)', () => {
    expect(foldMarkdown(README)).toContain(foldMarkdown(columnReference()));
  });

  it.each(DOCUMENTED_TABLES.map(([name]) => name))('documents table %s', (name) => {
    expect(README).toContain(`### ${name}`);
  });
});
